import { NO_FACTS } from '../../policy/risk/change-facts';
import type { ChangeEvent, RiskAssessedData } from './events';

/** A RiskAssessed as the built-in rules recorded it, before policy as code. */
interface BuiltinRiskAssessed {
  readonly score: number;
  readonly level: RiskAssessedData['level'];
  readonly factors: readonly string[];
  readonly route: RiskAssessedData['route'];
  readonly requiredApprovals: number;
  readonly requiresCab: boolean;
  readonly policyVersion: string;
  readonly at: string;
}

/**
 * An event in today's shape. Recorded events never change, so shapes that grew since are
 * read here: the built-in rules recorded factors as words ("low blast radius (+1)"), one CAB
 * approval as a flag, and nothing of routing rules, SLAs or facts.
 */
export function upcast(event: ChangeEvent): ChangeEvent {
  if (event.type !== 'RiskAssessed') return event;
  const data: unknown = event.data;
  if (!isBuiltin(data)) return event;
  const legacy = data;
  return {
    type: 'RiskAssessed',
    data: {
      ...legacy,
      factors: legacy.factors.map((detail) => ({
        factor: 'builtin',
        contribution: Number(/\(\+(\d+)/.exec(detail)?.[1] ?? 0),
        detail,
      })),
      requiredCabApprovals: legacy.requiresCab ? 1 : 0,
      routedBy: `the built-in rules (${legacy.policyVersion})`,
      approvalSla: null,
      facts: NO_FACTS,
      // Unknown then: the strictest tier, so no window opens wider than it may have been.
      mostCriticalTier: 1,
      conflicts: [],
    },
  };
}

function isBuiltin(data: unknown): data is BuiltinRiskAssessed {
  return typeof data === 'object' && data !== null && !('routedBy' in data);
}

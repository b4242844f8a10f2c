import type { CelInput } from '@bufbuild/cel';
import type { Policy, RiskLevel } from '../policy';
import type { ChangeFacts, RiskSubject } from '../risk/change-facts';
import { effectiveTier, mostCriticalTier } from '../risk/service-tiers';
import type { ConditionVariables } from './condition';

/**
 * The variables a policy condition sees. `change` is a map, so a condition tests what the
 * request may leave out with has(): `has(change.filesChanged) && change.filesChanged > 50`.
 * Numbers are CEL doubles.
 */
export function conditionVariables(
  policy: Policy,
  subject: RiskSubject,
  facts: ChangeFacts,
  risk?: { readonly score: number; readonly level: RiskLevel },
): ConditionVariables {
  const change = new Map<string, CelInput>([
    ['type', subject.type],
    ['category', subject.category],
    ['environment', subject.environment],
    ['services', [...subject.services]],
    ['hasDatabaseMigration', subject.hasDatabaseMigration],
    ['declaredBlastRadius', subject.declaredBlastRadius],
  ]);
  if (subject.filesChanged !== undefined) change.set('filesChanged', subject.filesChanged);
  if (subject.linesChanged !== undefined) change.set('linesChanged', subject.linesChanged);
  if (subject.templateId !== undefined) change.set('templateId', subject.templateId);

  const { deployments, failed } = facts.history;
  const variables: ConditionVariables = {
    change,
    facts: {
      mostCriticalTier: mostCriticalTier(policy, facts.services),
      unregisteredServices: facts.services.filter((s) => s.tier === null).map((s) => s.name),
      downstreamServices: facts.downstream.length,
      downstreamTier1: facts.downstream.filter((s) => effectiveTier(policy, s.tier) === 1).length,
      deployments,
      failedDeployments: failed,
      changeFailureRate: deployments === 0 ? 0 : failed / deployments,
    },
  };
  if (risk !== undefined) variables.risk = { score: risk.score, level: risk.level };
  return variables;
}

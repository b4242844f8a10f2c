import { CHANGE_TYPES, type ChangeType } from '../../changes/domain/change-request';
import { minutesBetween, type ChangeCompliance } from './change-compliance';
import { completeness } from './completeness';
import { FINDING_RULE_IDS, type Finding, type FindingRule } from './finding-rules';
import { nearestRankPercentile } from '../../kernel/percentile';

export interface DurationFigures {
  /** How many changes the duration was measured on. */
  readonly count: number;
  readonly p50: number | null;
  readonly p90: number | null;
}

/** How the changes of one template fared: the safety record a pre-approval rests on. */
export interface TemplateFigures {
  readonly templateId: string;
  readonly changes: number;
  readonly deployed: number;
  /** Rolled back or closed as failed. */
  readonly failed: number;
  readonly rolledBack: number;
  /** failed / deployed. */
  readonly changeFailureRate: number | null;
}

/** Approval time against the route's SLA, over the changes people approved. */
export interface ApprovalSlaFigures {
  readonly route: string;
  /** The SLA the changes were assessed with (the latest, if the policy changed in the period). */
  readonly slaHours: number | null;
  readonly approved: number;
  readonly withinSla: number;
  /** Changes the ledger recorded ApprovalOverdue for, approved or not. */
  readonly overdue: number;
  readonly approvalTimeMinutes: DurationFigures;
}

/** The figures of a period; a ratio is null when its denominator is 0. */
export interface PeriodFigures {
  readonly changes: number;
  readonly volumeByType: Readonly<Record<ChangeType, number>>;
  /** ChangeRequested → ChangeDeployed, over the changes deployed. */
  readonly leadTimeMinutes: DurationFigures;
  /** ChangeRequested → ChangeApproved, over the changes people approved. */
  readonly approvalTimeMinutes: DurationFigures;
  readonly approved: number;
  readonly approvedAutomatically: number;
  /** approvedAutomatically / approved. */
  readonly approvedAutomaticallyShare: number | null;
  /** Changes whose deployment started: production changed, fully or in part. */
  readonly deployed: number;
  /** Deployed changes that were rolled back or closed as failed. */
  readonly failed: number;
  /** failed / deployed. */
  readonly changeFailureRate: number | null;
  readonly rolledBack: number;
  /** rolledBack / deployed. */
  readonly rollbackRate: number | null;
  /** Mean of the rolled-back changes' rollback minutes (last deployment step → rollback). */
  readonly meanTimeToRollBackMinutes: number | null;
  readonly complete: number;
  /** complete / changes. */
  readonly auditCompletenessShare: number | null;
  readonly findingsByRule: Readonly<Record<FindingRule, number>>;
  readonly templates: readonly TemplateFigures[];
  readonly approvalSla: readonly ApprovalSlaFigures[];
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function durations(values: readonly number[]): DurationFigures {
  return {
    count: values.length,
    p50: nearestRankPercentile(values, 50),
    p90: nearestRankPercentile(values, 90),
  };
}

function countBy<K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const value of values) counts[value] += 1;
  return counts;
}

/**
 * The period's figures from the changes requested in it and the findings that arose in it.
 * Every change figure is over the same set of changes, so numerators and denominators agree.
 */
export function periodFigures(
  changes: readonly ChangeCompliance[],
  findings: readonly Finding[],
): PeriodFigures {
  const deployed = changes.filter((c) => c.deployStartedAt !== null);
  const approved = changes.filter((c) => c.approvedAt !== null);
  const automatic = approved.filter((c) => c.approvedAutomatically);
  const failed = deployed.filter((c) => c.rolledBackAt !== null || c.outcome === 'failed');
  const rolledBack = deployed.filter((c) => c.rolledBackAt !== null);
  const rollbackMinutes = rolledBack.flatMap((c) => c.rollbackMinutes ?? []);
  const complete = changes.filter((c) => completeness(c).complete);
  return {
    changes: changes.length,
    volumeByType: countBy(
      CHANGE_TYPES,
      changes.map((c) => c.type),
    ),
    leadTimeMinutes: durations(
      changes.flatMap((c) =>
        c.deployedAt === null ? [] : minutesBetween(c.requestedAt, c.deployedAt),
      ),
    ),
    approvalTimeMinutes: durations(
      approved.flatMap((c) =>
        c.approvedAt === null || c.approvedAutomatically
          ? []
          : minutesBetween(c.requestedAt, c.approvedAt),
      ),
    ),
    approved: approved.length,
    approvedAutomatically: automatic.length,
    approvedAutomaticallyShare: ratio(automatic.length, approved.length),
    deployed: deployed.length,
    failed: failed.length,
    changeFailureRate: ratio(failed.length, deployed.length),
    rolledBack: rolledBack.length,
    rollbackRate: ratio(rolledBack.length, deployed.length),
    meanTimeToRollBackMinutes:
      rollbackMinutes.length === 0
        ? null
        : rollbackMinutes.reduce((sum, m) => sum + m, 0) / rollbackMinutes.length,
    complete: complete.length,
    auditCompletenessShare: ratio(complete.length, changes.length),
    findingsByRule: countBy(
      FINDING_RULE_IDS,
      findings.map((f) => f.rule),
    ),
    templates: templateFigures(changes),
    approvalSla: approvalSlaFigures(changes),
  };
}

const failedChange = (c: ChangeCompliance) =>
  c.deployStartedAt !== null && (c.rolledBackAt !== null || c.outcome === 'failed');

function groupBy<K>(changes: readonly ChangeCompliance[], key: (c: ChangeCompliance) => K | null) {
  const groups = new Map<K, ChangeCompliance[]>();
  for (const change of changes) {
    const k = key(change);
    if (k !== null) groups.set(k, [...(groups.get(k) ?? []), change]);
  }
  return [...groups].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1));
}

function templateFigures(changes: readonly ChangeCompliance[]): TemplateFigures[] {
  return groupBy(changes, (c) => c.templateId).map(([templateId, used]) => {
    const deployed = used.filter((c) => c.deployStartedAt !== null).length;
    const failed = used.filter(failedChange).length;
    return {
      templateId,
      changes: used.length,
      deployed,
      failed,
      rolledBack: used.filter((c) => c.rolledBackAt !== null).length,
      changeFailureRate: ratio(failed, deployed),
    };
  });
}

function approvalSlaFigures(changes: readonly ChangeCompliance[]): ApprovalSlaFigures[] {
  const routed = changes.filter((c) => c.route !== null && c.route !== 'automatic');
  return groupBy(routed, (c) => c.route).map(([route, ofRoute]) => {
    const approved = ofRoute.filter((c) => c.approvedAt !== null && !c.approvedAutomatically);
    const within = approved.filter(
      (c) => c.approvalDueBy !== null && (c.approvedAt ?? '') <= c.approvalDueBy,
    );
    return {
      route,
      slaHours: ofRoute.at(-1)?.approvalSlaHours ?? null,
      approved: approved.length,
      withinSla: within.length,
      overdue: ofRoute.filter((c) => c.approvalOverdueAt !== null).length,
      approvalTimeMinutes: durations(
        approved.map((c) => minutesBetween(c.requestedAt, c.approvedAt ?? c.requestedAt)),
      ),
    };
  });
}

import type { ChangeCompliance } from './change-compliance';

/** What a complete audit record of a change holds; the names are the export's vocabulary. */
export const REQUIRED_ITEMS = ['justification', 'rollbackPlan', 'testPlan', 'approvals'] as const;
export type RequiredItem = (typeof REQUIRED_ITEMS)[number];

export interface Completeness {
  readonly complete: boolean;
  readonly missing: readonly RequiredItem[];
}

/**
 * Whether the change got the approvals its route asks for. Only owed once production changed
 * (a deployment started): a change still waiting, rejected or cancelled lacks nothing yet.
 * The emergency route may deploy before anyone approves; its recorded post-implementation
 * review then stands in for the approval.
 */
export function approvalsSatisfied(record: ChangeCompliance): boolean {
  if (record.deployStartedAt === null) return true;
  if (record.route === null || record.requiredApprovals === null) return false;
  if (record.route === 'automatic') return record.approvedAutomatically;
  const quorum =
    record.approvals.length >= record.requiredApprovals &&
    record.approvals.filter((a) => a.countsAsCab).length >= record.requiredCabApprovals;
  return quorum || (record.route === 'emergency' && record.firstReviewAt !== null);
}

/** Required fields present: justification, rollback plan, test plan, approvals for its route. */
export function completeness(record: ChangeCompliance): Completeness {
  const present: Record<RequiredItem, boolean> = {
    ...record.provided,
    approvals: approvalsSatisfied(record),
  };
  const missing = REQUIRED_ITEMS.filter((item) => !present[item]);
  return { complete: missing.length === 0, missing };
}

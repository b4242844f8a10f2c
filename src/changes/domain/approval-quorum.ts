import type { ApprovalRouting } from '../../policy/approval-route';
import type { GivenApproval } from './change-state';

/**
 * Whether the approvals given (one per principal) satisfy the route: enough distinct
 * approvers and, when the route needs the CAB, at least one of them from the CAB.
 */
export function isQuorumReached(
  approvals: ReadonlyMap<string, GivenApproval>,
  routing: Pick<ApprovalRouting, 'requiredApprovals' | 'requiresCab'>,
): boolean {
  const enough = approvals.size >= routing.requiredApprovals;
  const cabSatisfied = !routing.requiresCab || [...approvals.values()].some((a) => a.countsAsCab);
  return enough && cabSatisfied;
}

import type { ApprovalRouting } from '../../policy/routing/approval-route';
import type { GivenApproval } from './change-state';

/**
 * Whether the approvals given (one per principal) satisfy the route: enough distinct
 * approvers and, when the route needs the CAB, enough of them from the CAB.
 */
export function isQuorumReached(
  approvals: ReadonlyMap<string, GivenApproval>,
  routing: Pick<ApprovalRouting, 'requiredApprovals' | 'requiredCabApprovals'>,
): boolean {
  const cab = [...approvals.values()].filter((a) => a.countsAsCab).length;
  return approvals.size >= routing.requiredApprovals && cab >= routing.requiredCabApprovals;
}

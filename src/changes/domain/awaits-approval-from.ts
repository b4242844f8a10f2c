import type { Principal } from '../../kernel/principal';
import { isQuorumReached } from './approval-quorum';
import type { ExistingChange } from './change-state';
import { ALLOWED_FROM } from './transitions';

/**
 * Whether the change waits for this principal's approval: it can still be approved, someone
 * else requested it, they have not approved it yet, and their approval would count toward
 * what is missing (once enough approvers said yes, only a CAB member's approval does).
 */
export function awaitsApprovalFrom(change: ExistingChange, principal: Principal): boolean {
  if (!ALLOWED_FROM.ApproveChange.includes(change.status)) return false;
  if (change.requestedBy === principal.id || change.approvals.has(principal.id)) return false;
  const { assessment } = change;
  if (assessment === undefined) return false;
  const cab = principal.roles.includes('cab');
  if (!cab && !principal.roles.includes('approver') && !principal.roles.includes('admin')) {
    return false;
  }
  const enoughApprovers = isQuorumReached(change.approvals, {
    requiredApprovals: assessment.requiredApprovals,
    requiredCabApprovals: 0,
  });
  return !enoughApprovers || cab;
}

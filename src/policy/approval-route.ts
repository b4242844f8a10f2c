import type { ChangeType } from '../changes/domain/change-request';
import type { RiskLevel } from './risk-assessment';

export const APPROVAL_ROUTES = ['automatic', 'peer-review', 'cab', 'emergency'] as const;
export type ApprovalRoute = (typeof APPROVAL_ROUTES)[number];

/** How a change gets approved: who must agree before ChangeApproved is recorded. */
export interface ApprovalRouting {
  readonly route: ApprovalRoute;
  /** Distinct approvers needed for ChangeApproved; 0 means the policy approves on request. */
  readonly requiredApprovals: number;
  /** Whether at least one of those approvers must hold the 'cab' role. */
  readonly requiresCab: boolean;
}

const AUTOMATIC: ApprovalRouting = { route: 'automatic', requiredApprovals: 0, requiresCab: false };
// An emergency may deploy without approval; if someone does approve it, one approver suffices.
const EMERGENCY: ApprovalRouting = { route: 'emergency', requiredApprovals: 1, requiresCab: false };
const CAB: ApprovalRouting = { route: 'cab', requiredApprovals: 2, requiresCab: true };
const PEER_REVIEW: ApprovalRouting = {
  route: 'peer-review',
  requiredApprovals: 1,
  requiresCab: false,
};

/** The built-in routing rule, from the change's type and its assessed risk level. */
export function approvalRouteFor(type: ChangeType, level: RiskLevel): ApprovalRouting {
  switch (type) {
    case 'standard':
    case 'preapproved':
      return AUTOMATIC;
    case 'emergency':
      return EMERGENCY;
    case 'normal':
      return level === 'high' ? CAB : PEER_REVIEW;
  }
}

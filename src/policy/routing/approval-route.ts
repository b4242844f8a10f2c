import { conditionVariables } from '../conditions/condition-variables';
import type { ApprovalSla, Policy } from '../policy';
import type { PolicyInForce } from '../policy-in-force';
import type { RiskAssessment } from '../risk/assess-risk';
import type { ChangeFacts, RiskSubject } from '../risk/change-facts';

export const APPROVAL_ROUTES = ['automatic', 'peer-review', 'cab', 'emergency'] as const;
export type ApprovalRoute = (typeof APPROVAL_ROUTES)[number];

/** How a change gets approved: who must agree before ChangeApproved is recorded, and by when. */
export interface ApprovalRouting {
  readonly route: ApprovalRoute;
  /** Distinct approvers needed for ChangeApproved; 0 means the policy approves on request. */
  readonly requiredApprovals: number;
  /** How many of those approvers must hold the 'cab' role. */
  readonly requiredCabApprovals: number;
  /** requiredCabApprovals > 0; changes recorded before CAB quorums carry only this. */
  readonly requiresCab: boolean;
  /** How long approvers have, and who hears when they take longer; null: no target. */
  readonly approvalSla: ApprovalSla | null;
  /** Why this route, in words: the rule or the type that chose it. */
  readonly routedBy: string;
}

/**
 * The route a change takes. Nobody picks it by declaring a type: standard and pre-approved
 * changes are approved automatically only through a template (checked by the template rules),
 * an emergency takes the emergency route, and a normal change the first routing rule of the
 * policy whose condition holds for its risk and facts.
 */
export function routeFor(
  policy: PolicyInForce,
  subject: RiskSubject,
  facts: ChangeFacts,
  risk: RiskAssessment,
): ApprovalRouting {
  const { routes } = policy.document;
  switch (subject.type) {
    case 'standard':
    case 'preapproved':
      return {
        route: 'automatic',
        requiredApprovals: 0,
        requiredCabApprovals: 0,
        requiresCab: false,
        approvalSla: null,
        routedBy: `a ${subject.type} change from template ${subject.templateId ?? '(none)'}`,
      };
    case 'emergency':
      return {
        route: 'emergency',
        requiredApprovals: routes.emergency.approvals,
        requiredCabApprovals: 0,
        requiresCab: false,
        approvalSla: null,
        routedBy: 'an emergency change',
      };
    case 'normal':
      return normalRoute(policy, subject, facts, risk);
  }
}

function normalRoute(
  policy: PolicyInForce,
  subject: RiskSubject,
  facts: ChangeFacts,
  risk: RiskAssessment,
): ApprovalRouting {
  const variables = conditionVariables(policy.document, subject, facts, risk);
  const index = policy.routing.findIndex(({ condition }) => condition?.holds(variables) ?? true);
  // The schema requires a last rule without a condition, so one always matches.
  const { rule, condition } = policy.routing[index];
  const routedBy = `routing rule ${index + 1}${condition ? `: ${condition.source}` : ''}`;
  return { ...normalRouteOf(policy.document, rule.route), routedBy };
}

function normalRouteOf(policy: Policy, route: 'peer-review' | 'cab') {
  if (route === 'peer-review') {
    const { approvals, approvalSla } = policy.routes['peer-review'];
    return {
      route,
      requiredApprovals: approvals,
      requiredCabApprovals: 0,
      requiresCab: false,
      approvalSla,
    };
  }
  const { approvals, cabApprovals, approvalSla } = policy.routes.cab;
  return {
    route,
    requiredApprovals: approvals,
    requiredCabApprovals: cabApprovals,
    requiresCab: cabApprovals > 0,
    approvalSla,
  };
}

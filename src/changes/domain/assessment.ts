import { assessRisk } from '../../policy/risk/assess-risk';
import type { RiskSubject } from '../../policy/risk/change-facts';
import { mostCriticalTier } from '../../policy/risk/service-tiers';
import { routeFor } from '../../policy/routing/approval-route';
import { templateFit, templateRiskMisfit } from '../../policy/templates/template-fit';
import type { ChangeRequest } from './change-request';
import type { AmendChange, RequestChange } from './commands';
import type { RiskAssessedData } from './events';
import { clearWindow, type Refuse } from './window-rules';

const HOUR_MS = 3_600_000;

export interface Assessed {
  /** The request as recorded: a template change carries its template's steps and rollback plan. */
  readonly request: ChangeRequest;
  readonly assessment: RiskAssessedData;
}

/** The request as the policy's rules read it. */
export function riskSubject(request: ChangeRequest): RiskSubject {
  return {
    type: request.type,
    category: request.category,
    environment: request.environment,
    services: [...new Set(request.services)],
    hasDatabaseMigration: request.hasDatabaseMigration,
    declaredBlastRadius: request.blastRadius,
    filesChanged: request.filesChanged,
    linesChanged: request.linesChanged,
    templateId: request.templateId,
  };
}

/**
 * Assesses a request, new or amended, under the policy in force and the facts the ledger
 * knows: a standard or pre-approved one must fit a template of the policy (and stay within its
 * risk), the risk is scored, the route chosen, and a planned window must be one the change may
 * have. Anything else is refused with the rule's code.
 */
export function assessRequest(
  command: RequestChange | AmendChange,
  request: ChangeRequest,
  requestedAt: string,
  refuse: Refuse,
): Assessed {
  const { policy, facts, at } = command;
  const subject = riskSubject(request);
  let recorded = request;
  let templateId: string | undefined;
  if (request.type === 'standard' || request.type === 'preapproved') {
    const fit = templateFit(policy.document, subject, facts, request);
    if (!fit.fits) throw refuse(fit.misfit.code, fit.misfit.reason);
    const { template } = fit;
    recorded = {
      ...request,
      implementationSteps: template.steps,
      rollbackPlan: template.rollbackPlan,
    };
    templateId = template.id;
  }
  const risk = assessRisk(policy, subject, facts);
  const template = policy.document.templates.find((t) => t.id === templateId);
  const tooRisky = template === undefined ? null : templateRiskMisfit(template, risk.level);
  if (tooRisky !== null) throw refuse(tooRisky.code, tooRisky.reason);

  const routing = routeFor(policy, subject, facts, risk);
  const tier = mostCriticalTier(policy.document, facts.services);
  const { conflicts } =
    request.plannedWindow === undefined
      ? { conflicts: [] }
      : clearWindow(
          {
            policy,
            route: routing.route,
            environment: request.environment,
            services: subject.services,
            tier,
            requestedAt,
            window: request.plannedWindow,
            freezes: command.freezes,
            overlapping: command.overlapping,
          },
          refuse,
        );
  const approvalDueBy =
    routing.approvalSla === null
      ? undefined
      : new Date(Date.parse(at) + routing.approvalSla.hours * HOUR_MS).toISOString();
  return {
    request: recorded,
    assessment: {
      ...risk,
      ...routing,
      approvalDueBy,
      templateId,
      facts,
      mostCriticalTier: tier,
      conflicts,
      policyVersion: policy.version,
      at,
    },
  };
}

import canonicalize from 'canonicalize';
import { RISK_LEVELS, type ChangeTemplate, type Policy, type RiskLevel } from '../policy';
import type { ChangeFacts, RiskSubject } from '../risk/change-facts';
import { effectiveTier } from '../risk/service-tiers';

export const TEMPLATE_MISFITS = [
  'template-required',
  'template-unknown',
  'outside-template',
  'template-risk-exceeded',
] as const;
export type TemplateMisfitCode = (typeof TEMPLATE_MISFITS)[number];

/** Why a standard or pre-approved request is not the routine change it claims to be. */
export interface TemplateMisfit {
  readonly code: TemplateMisfitCode;
  readonly reason: string;
}

/** The steps and rollback plan a request stated, if it stated them. */
export interface StatedProcedure {
  readonly implementationSteps?: readonly string[];
  readonly rollbackPlan?: unknown;
}

export type TemplateFit =
  | { readonly fits: true; readonly template: ChangeTemplate }
  | { readonly fits: false; readonly misfit: TemplateMisfit };

/**
 * The template a standard or pre-approved request follows, if the request fits it: named,
 * known, of an allowed type, category and environment, touching only allowed services and
 * tiers, with a migration only where the template allows one, and with the template's own
 * steps and rollback plan (a request may leave them out; it may not bring others).
 */
export function templateFit(
  policy: Policy,
  subject: RiskSubject,
  facts: ChangeFacts,
  stated: StatedProcedure,
): TemplateFit {
  const misfit = (code: TemplateMisfitCode, reason: string): TemplateFit => ({
    fits: false,
    misfit: { code, reason },
  });
  const { templateId } = subject;
  if (templateId === undefined) {
    return misfit(
      'template-required',
      `a ${subject.type} change exists only as a template of the policy: name one in templateId`,
    );
  }
  const template = policy.templates.find((t) => t.id === templateId);
  if (template === undefined) {
    return misfit('template-unknown', `the policy has no template "${templateId}"`);
  }
  const outside = outsideReasons(policy, template, subject, facts, stated);
  if (outside.length > 0) {
    return misfit('outside-template', `outside template ${template.id}: ${outside.join('; ')}`);
  }
  return { fits: true, template };
}

/** Refuses a fitting template's change whose assessed risk is above the template's limit. */
export function templateRiskMisfit(
  template: ChangeTemplate,
  level: RiskLevel,
): TemplateMisfit | null {
  if (RISK_LEVELS.indexOf(level) <= RISK_LEVELS.indexOf(template.maxRisk)) return null;
  return {
    code: 'template-risk-exceeded',
    reason: `assessed risk ${level} is above the ${template.maxRisk} template ${template.id} allows`,
  };
}

function outsideReasons(
  policy: Policy,
  template: ChangeTemplate,
  subject: RiskSubject,
  facts: ChangeFacts,
  stated: StatedProcedure,
): string[] {
  const reasons: string[] = [];
  if (!template.types.includes(subject.type as (typeof template.types)[number])) {
    reasons.push(`it is for ${template.types.join(' or ')} changes, not ${subject.type}`);
  }
  if (!template.categories.includes(subject.category)) {
    reasons.push(`category ${subject.category} is not one of ${template.categories.join(', ')}`);
  }
  if (!template.environments.includes(subject.environment)) {
    reasons.push(
      `environment ${subject.environment} is not one of ${template.environments.join(', ')}`,
    );
  }
  if (template.services !== undefined) {
    const allowed = template.services;
    const others = subject.services.filter((service) => !allowed.includes(service));
    if (others.length > 0) reasons.push(`it does not cover ${others.join(', ')}`);
  }
  if (template.tiers !== undefined) {
    const tiers = template.tiers;
    const others = facts.services.filter((s) => !tiers.includes(effectiveTier(policy, s.tier)));
    if (others.length > 0) {
      const which = others.map((s) => `${s.name} (tier ${effectiveTier(policy, s.tier)})`);
      reasons.push(`it covers tiers ${tiers.join(', ')}, not ${which.join(', ')}`);
    }
  }
  if (subject.hasDatabaseMigration && !template.databaseMigration) {
    reasons.push('it allows no database migration');
  }
  if (
    stated.implementationSteps !== undefined &&
    !sameContent(stated.implementationSteps, template.steps)
  ) {
    reasons.push("the implementation steps differ from the template's");
  }
  if (
    stated.rollbackPlan !== undefined &&
    !sameContent(stated.rollbackPlan, template.rollbackPlan)
  ) {
    reasons.push("the rollback plan differs from the template's");
  }
  return reasons;
}

/** Equal as JSON, whatever the key order or the class the value was parsed into. */
function sameContent(a: unknown, b: unknown): boolean {
  return canonicalize(a) === canonicalize(b);
}

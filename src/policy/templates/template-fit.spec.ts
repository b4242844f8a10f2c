import { DEFAULT_POLICY } from '../fixtures/policies';
import { aSubject, quietFacts } from '../fixtures/subjects';
import type { RiskSubject } from '../risk/change-facts';
import { templateFit, templateRiskMisfit, type TemplateFit } from './template-fit';

const policy = DEFAULT_POLICY.document;
const flagToggle = policy.templates.find((t) => t.id === 'feature-flag-toggle');

const subject = (o: Partial<RiskSubject> = {}): RiskSubject =>
  aSubject({
    type: 'standard',
    category: 'software-config',
    templateId: 'feature-flag-toggle',
    ...o,
  });
const facts = (tier: 1 | 2 | 3 | 4 | null = 3) => quietFacts(tier);

function misfit(fit: TemplateFit) {
  if (fit.fits) throw new Error('the request fits its template');
  return fit.misfit;
}

describe('templateFit', () => {
  it('accepts a request that fits its template, with or without the template\u2019s own steps', () => {
    expect(templateFit(policy, subject(), facts(), {})).toEqual({
      fits: true,
      template: flagToggle,
    });
    const stated = {
      implementationSteps: flagToggle?.steps,
      rollbackPlan: { ...flagToggle?.rollbackPlan },
    };
    expect(templateFit(policy, subject(), facts(), stated).fits).toBe(true);
  });

  it('refuses a standard change that names no template', () => {
    expect(misfit(templateFit(policy, subject({ templateId: undefined }), facts(), {}))).toEqual({
      code: 'template-required',
      reason: 'a standard change exists only as a template of the policy: name one in templateId',
    });
  });

  it('refuses a template the policy does not have', () => {
    expect(
      misfit(templateFit(policy, subject({ templateId: 'anything-goes' }), facts(), {})),
    ).toEqual({
      code: 'template-unknown',
      reason: 'the policy has no template "anything-goes"',
    });
  });

  it('refuses a request outside its template, saying every way it is', () => {
    const outside = misfit(
      templateFit(
        policy,
        subject({
          type: 'preapproved',
          category: 'data',
          environment: 'dev',
          hasDatabaseMigration: true,
        }),
        facts(1),
        {
          implementationSteps: ['do whatever'],
          rollbackPlan: { trigger: 'x', steps: ['y'], expectedMinutes: 1 },
        },
      ),
    );
    expect(outside.code).toBe('outside-template');
    expect(outside.reason).toBe(
      'outside template feature-flag-toggle: category data is not one of software-config; ' +
        'environment dev is not one of staging, production; ' +
        'it covers tiers 2, 3, 4, not search (tier 1); it allows no database migration; ' +
        "the implementation steps differ from the template's; " +
        "the rollback plan differs from the template's",
    );
  });

  it('counts a service the catalog does not know as the policy\u2019s unregistered tier', () => {
    expect(misfit(templateFit(policy, subject(), facts(null), {})).reason).toContain(
      'search (tier 1)',
    );
  });

  it('refuses a type the template is not for', () => {
    const cert = subject({ type: 'preapproved', templateId: 'certificate-rotation' });
    expect(misfit(templateFit(policy, cert, facts(), {})).reason).toContain(
      'it is for standard changes, not preapproved',
    );
  });
});

describe('templateRiskMisfit', () => {
  it('refuses a risk above the template\u2019s maximum, and nothing at or below it', () => {
    if (flagToggle === undefined) throw new Error('the default policy has feature-flag-toggle');
    expect(templateRiskMisfit(flagToggle, 'low')).toBeNull();
    expect(templateRiskMisfit(flagToggle, 'medium')).toEqual({
      code: 'template-risk-exceeded',
      reason: 'assessed risk medium is above the low template feature-flag-toggle allows',
    });
  });
});

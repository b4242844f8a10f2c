import { DEFAULT_POLICY, policyWith } from '../fixtures/policies';
import { assessRisk } from './assess-risk';
import type { ChangeFacts, RiskSubject } from './change-facts';
import { aSubject, quietFacts } from '../fixtures/subjects';

const subject = aSubject;

const quiet: ChangeFacts = quietFacts();

const contributions = (facts: ChangeFacts, o: Partial<RiskSubject> = {}) =>
  Object.fromEntries(
    assessRisk(DEFAULT_POLICY, subject(o), facts).factors.map((f) => [f.factor, f.contribution]),
  );

describe('assessRisk (default policy)', () => {
  it('lists every factor it weighed, each with its contribution and why', () => {
    expect(assessRisk(DEFAULT_POLICY, subject(), quiet)).toEqual({
      score: 0,
      level: 'low',
      factors: [
        { factor: 'service-tier', contribution: 0, detail: 'search: tier 4' },
        {
          factor: 'downstream',
          contribution: 0,
          detail: 'no service depends on the changed ones',
        },
        {
          factor: 'change-failure-rate',
          contribution: 0,
          detail: '0 deployments in the last 90 days, fewer than the 5 needed to judge by',
        },
        { factor: 'database-migration', contribution: 0, detail: 'no migration' },
        { factor: 'emergency', contribution: 0, detail: 'a normal change' },
        { factor: 'files-changed', contribution: 0, detail: 'files changed: not stated' },
        { factor: 'lines-changed', contribution: 0, detail: 'lines changed: not stated' },
        {
          factor: 'declared-blast-radius',
          contribution: 0,
          detail: 'declared low: the level is at least low',
        },
      ],
    });
  });

  it('weighs the most critical changed service by its catalog tier, whatever the request says', () => {
    const facts: ChangeFacts = {
      ...quiet,
      services: [
        { name: 'search', tier: 4 },
        { name: 'checkout', tier: 1 },
      ],
    };
    const risk = assessRisk(DEFAULT_POLICY, subject({ services: ['search', 'checkout'] }), facts);
    expect(risk.factors[0]).toEqual({
      factor: 'service-tier',
      contribution: 3,
      detail: 'checkout: tier 1',
    });
  });

  it('treats a service the catalog does not know as tier 1', () => {
    const facts: ChangeFacts = { ...quiet, services: [{ name: 'ghost', tier: null }] };
    expect(assessRisk(DEFAULT_POLICY, subject({ services: ['ghost'] }), facts).factors[0]).toEqual({
      factor: 'service-tier',
      contribution: 3,
      detail: 'ghost: not in the catalog, taken as tier 1',
    });
  });

  it('weighs every service downstream by its tier, up to the cap, naming them', () => {
    const facts: ChangeFacts = {
      ...quiet,
      downstream: [
        { name: 'web', tier: 1, depth: 2 },
        { name: 'mobile-api', tier: 1, depth: 2 },
        { name: 'checkout', tier: 2, depth: 1 },
      ],
    };
    expect(assessRisk(DEFAULT_POLICY, subject(), facts).factors[1]).toEqual({
      factor: 'downstream',
      contribution: 4,
      detail:
        '3 services depend on the changed ones (2 tier 1, 1 tier 2): web, mobile-api, checkout',
    });
    const many: ChangeFacts = {
      ...quiet,
      downstream: Array.from({ length: 8 }, (_, i) => ({ name: `s${i}`, tier: 1, depth: 1 })),
    };
    const factor = assessRisk(DEFAULT_POLICY, subject(), many).factors[1];
    expect(factor.contribution).toBe(6);
    expect(factor.detail).toContain('capped at 6');
    expect(factor.detail).toContain('and 3 more');
  });

  it('weighs the services\u2019 change failure rate once there is history enough', () => {
    const history = { lookBackDays: 90, deployments: 20, failed: 5 };
    expect(assessRisk(DEFAULT_POLICY, subject(), { ...quiet, history }).factors[2]).toEqual({
      factor: 'change-failure-rate',
      contribution: 2.5,
      detail: '5 of 20 deployments failed in the last 90 days (25 %)',
    });
    const bad = { lookBackDays: 90, deployments: 10, failed: 9 };
    expect(contributions({ ...quiet, history: bad })['change-failure-rate']).toBe(4);
  });

  it('adds the migration, emergency, size steps and the policy rules that hold', () => {
    expect(
      contributions(quiet, {
        type: 'emergency',
        hasDatabaseMigration: true,
        filesChanged: 150,
        linesChanged: 600,
      }),
    ).toMatchObject({
      'database-migration': 3,
      emergency: 2,
      'files-changed': 2,
      'lines-changed': 1,
    });
    const tier1 = { ...quiet, services: [{ name: 'payments', tier: 1 as const }] };
    expect(contributions(tier1, { category: 'data' })).toMatchObject({
      'rule:data-change-on-tier-1': 2,
    });
    expect(contributions(tier1, { category: 'application' })).not.toHaveProperty(
      'rule:data-change-on-tier-1',
    );
  });

  it('reaches the levels at the policy\u2019s thresholds', () => {
    const tier1 = { ...quiet, services: [{ name: 'payments', tier: 1 as const }] };
    expect(assessRisk(DEFAULT_POLICY, subject(), tier1)).toMatchObject({ score: 3, level: 'low' });
    expect(assessRisk(DEFAULT_POLICY, subject({ filesChanged: 30 }), tier1)).toMatchObject({
      score: 4,
      level: 'medium',
    });
    expect(
      assessRisk(DEFAULT_POLICY, subject({ hasDatabaseMigration: true, filesChanged: 150 }), tier1),
    ).toMatchObject({ score: 8, level: 'high' });
  });

  it('lets a declared blast radius raise the level but never lower it', () => {
    const declaredHigh = assessRisk(
      DEFAULT_POLICY,
      subject({ declaredBlastRadius: 'high' }),
      quiet,
    );
    expect(declaredHigh).toMatchObject({ score: 8, level: 'high' });
    expect(declaredHigh.factors.at(-1)).toEqual({
      factor: 'declared-blast-radius',
      contribution: 8,
      detail: 'declared high: raised to at least high',
    });
    // A tier-1 hub with a migration stays high however low the requester says it is.
    const hub: ChangeFacts = {
      services: [{ name: 'payments', tier: 1 }],
      downstream: Array.from({ length: 4 }, (_, i) => ({ name: `s${i}`, tier: 1, depth: 1 })),
      history: { lookBackDays: 90, deployments: 0, failed: 0 },
    };
    expect(
      assessRisk(
        DEFAULT_POLICY,
        subject({ declaredBlastRadius: 'low', hasDatabaseMigration: true }),
        hub,
      ),
    ).toMatchObject({ score: 12, level: 'high' });
  });

  it('takes its weights from the policy', () => {
    const heavy = policyWith((p) => {
      p.risk.weights.databaseMigration = 10;
    });
    expect(assessRisk(heavy, subject({ hasDatabaseMigration: true }), quiet)).toMatchObject({
      score: 10,
      level: 'high',
    });
  });
});

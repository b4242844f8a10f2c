import { conditionVariables } from '../conditions/condition-variables';
import { RISK_LEVELS, type Policy, type RiskLevel, type SizeStep } from '../policy';
import type { PolicyInForce } from '../policy-in-force';
import type { ChangeFacts, RiskSubject } from './change-facts';
import { effectiveTier, mostCriticalTier, weightOf } from './service-tiers';

/** One thing the score rests on, with what it added; factors that added nothing are listed too. */
export interface RiskFactor {
  /** Stable: service-tier, downstream, change-failure-rate, database-migration, emergency,
   *  files-changed, lines-changed, declared-blast-radius, or rule:<id> for a policy rule. */
  readonly factor: string;
  readonly contribution: number;
  readonly detail: string;
}

export interface RiskAssessment {
  readonly score: number;
  readonly level: RiskLevel;
  readonly factors: readonly RiskFactor[];
}

/** Names listed in a factor's detail before "and N more". */
const NAMED = 5;

/**
 * The change's risk from facts the ledger knows (the catalog's tiers and dependency graph, the
 * services' deployment history) and from what the request states (migration, size, type), by
 * the policy's weights and rules. What the requester declared as blast radius can only raise
 * the level. Pure.
 */
export function assessRisk(
  policy: PolicyInForce,
  subject: RiskSubject,
  facts: ChangeFacts,
): RiskAssessment {
  const { document } = policy;
  const { weights } = document.risk;
  const factors: RiskFactor[] = [
    serviceTier(document, facts),
    downstream(document, facts),
    changeFailureRate(document, facts),
    {
      factor: 'database-migration',
      contribution: subject.hasDatabaseMigration ? weights.databaseMigration : 0,
      detail: subject.hasDatabaseMigration ? 'includes a database migration' : 'no migration',
    },
    {
      factor: 'emergency',
      contribution: subject.type === 'emergency' ? weights.emergency : 0,
      detail: subject.type === 'emergency' ? 'an emergency change' : `a ${subject.type} change`,
    },
    size('files-changed', 'files changed', subject.filesChanged, weights.filesChanged),
    size('lines-changed', 'lines changed', subject.linesChanged, weights.linesChanged),
  ];
  const variables = conditionVariables(document, subject, facts);
  for (const { rule, condition } of policy.riskRules) {
    if (condition.holds(variables)) {
      factors.push({ factor: `rule:${rule.id}`, contribution: rule.add, detail: rule.reason });
    }
  }

  const computed = round(factors.reduce((sum, f) => sum + f.contribution, 0));
  const floor = document.risk.declaredBlastRadius[subject.declaredBlastRadius];
  const computedLevel = levelOf(document, computed);
  const lift =
    maxLevel(computedLevel, floor) === computedLevel
      ? 0
      : round(levelStart(document, floor) - computed);
  factors.push({
    factor: 'declared-blast-radius',
    contribution: lift,
    detail:
      lift === 0
        ? `declared ${subject.declaredBlastRadius}: the level is at least ${floor}`
        : `declared ${subject.declaredBlastRadius}: raised to at least ${floor}`,
  });
  const score = round(computed + lift);
  return { score, level: levelOf(document, score), factors };
}

function serviceTier(policy: Policy, facts: ChangeFacts): RiskFactor {
  const tier = mostCriticalTier(policy, facts.services);
  const critical = facts.services.filter((s) => effectiveTier(policy, s.tier) === tier);
  const unregistered = critical.filter((s) => s.tier === null).map((s) => s.name);
  const registered = critical.filter((s) => s.tier !== null).map((s) => s.name);
  const parts = [
    registered.length > 0 ? `${listed(registered)}: tier ${tier}` : null,
    unregistered.length > 0
      ? `${listed(unregistered)}: not in the catalog, taken as tier ${tier}`
      : null,
  ].filter((part) => part !== null);
  return {
    factor: 'service-tier',
    contribution: weightOf(policy.risk.weights.serviceTier, tier),
    detail: parts.join('; '),
  };
}

function downstream(policy: Policy, facts: ChangeFacts): RiskFactor {
  const { perService, max } = policy.risk.weights.downstream;
  const sum = facts.downstream.reduce((total, s) => total + weightOf(perService, s.tier), 0);
  const contribution = round(Math.min(sum, max));
  if (facts.downstream.length === 0) {
    return { factor: 'downstream', contribution, detail: 'no service depends on the changed ones' };
  }
  const byTier = [1, 2, 3, 4]
    .map((tier) => [tier, facts.downstream.filter((s) => s.tier === tier).length])
    .filter(([, count]) => count > 0)
    .map(([tier, count]) => `${count} tier ${tier}`)
    .join(', ');
  const capped = contribution < round(sum) ? `, capped at ${max}` : '';
  const names = listed(facts.downstream.map((s) => s.name));
  return {
    factor: 'downstream',
    contribution,
    detail: `${facts.downstream.length} services depend on the changed ones (${byTier}${capped}): ${names}`,
  };
}

function changeFailureRate(policy: Policy, facts: ChangeFacts): RiskFactor {
  const { minimumDeployments, weight, max } = policy.risk.weights.changeFailureRate;
  const { deployments, failed, lookBackDays } = facts.history;
  const period = `in the last ${lookBackDays} days`;
  if (deployments < minimumDeployments) {
    return {
      factor: 'change-failure-rate',
      contribution: 0,
      detail: `${deployments} deployments ${period}, fewer than the ${minimumDeployments} needed to judge by`,
    };
  }
  const rate = failed / deployments;
  return {
    factor: 'change-failure-rate',
    contribution: round(Math.min(rate * weight, max)),
    detail: `${failed} of ${deployments} deployments failed ${period} (${round(rate * 100)} %)`,
  };
}

function size(
  factor: string,
  what: string,
  measured: number | undefined,
  steps: readonly SizeStep[],
): RiskFactor {
  if (measured === undefined) return { factor, contribution: 0, detail: `${what}: not stated` };
  const reached = steps.filter((step) => measured > step.above);
  const contribution = reached.reduce((most, step) => Math.max(most, step.add), 0);
  return { factor, contribution, detail: `${measured} ${what}` };
}

function levelOf(policy: Policy, score: number): RiskLevel {
  const { medium, high } = policy.risk.levels;
  if (score >= high) return 'high';
  if (score >= medium) return 'medium';
  return 'low';
}

function levelStart(policy: Policy, level: RiskLevel): number {
  return level === 'low' ? 0 : policy.risk.levels[level];
}

/** The higher of two levels. */
export function maxLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RISK_LEVELS.indexOf(a) >= RISK_LEVELS.indexOf(b) ? a : b;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, NAMED).join(', ');
  return names.length > NAMED ? `${shown} and ${names.length - NAMED} more` : shown;
}

/** Scores are kept to two decimals, so the same facts always read the same. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

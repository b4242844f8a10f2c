import type { RiskLevel } from '../../policy/policy';

/** What a deployment was doing at the moment asked about. */
export type DeploymentStatusAt = 'rolling-out' | 'deployed' | 'rolled-back';

/** Suspicion halves for every hour between the deployment's last move and the alert. */
const PROXIMITY_HALF_LIFE_MINUTES = 60;
/** Each dependency edge between the alerting service and the deployed one halves suspicion. */
const DEPENDENCY_FACTOR_PER_LEVEL = 0.5;
/** An unplanned deploy was never assessed: it counts as high risk, it skipped every check. */
const RISK_FACTORS: Readonly<Record<RiskLevel | 'unassessed', number>> = {
  high: 1,
  medium: 0.75,
  low: 0.5,
  unassessed: 1,
};
/** Still rolling out is live and moving; rolled back was already undone when the alert fired. */
const STATE_FACTORS: Readonly<Record<DeploymentStatusAt, number>> = {
  'rolling-out': 1,
  deployed: 0.8,
  'rolled-back': 0.4,
};

export interface ScoreFactors {
  readonly proximity: number;
  readonly relation: number;
  readonly risk: number;
  readonly state: number;
}

export interface ScoreInputs {
  readonly minutesBefore: number;
  /** 0 for the alerting service itself. */
  readonly depth: number;
  readonly riskLevel: RiskLevel | 'unassessed';
  readonly status: DeploymentStatusAt;
}

/** The four factors of a suspect's score, each in (0, 1]; docs/read-models.md (Incident correlation) explains them. */
export function scoreFactors({
  minutesBefore,
  depth,
  riskLevel,
  status,
}: ScoreInputs): ScoreFactors {
  return {
    proximity: 0.5 ** (minutesBefore / PROXIMITY_HALF_LIFE_MINUTES),
    relation: DEPENDENCY_FACTOR_PER_LEVEL ** depth,
    risk: RISK_FACTORS[riskLevel],
    state: STATE_FACTORS[status],
  };
}

/** The score is the product of the factors: each can only lower suspicion, none can hide one. */
export function scoreOf(factors: ScoreFactors): number {
  return factors.proximity * factors.relation * factors.risk * factors.state;
}

import type { BlastRadius, ChangeRequest } from '../changes/domain/change-request';

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface RiskScore {
  readonly score: number;
  readonly level: RiskLevel;
  /** Each contribution to the score, in words, so a reviewer can see why. */
  readonly factors: readonly string[];
}

const BLAST_RADIUS_WEIGHT: Readonly<Record<BlastRadius, number>> = { low: 1, medium: 3, high: 6 };
const DATABASE_MIGRATION_WEIGHT = 3;
// Each extra service adds one point, but a wide change is already caught by its blast radius,
// so the service count alone must not push a routine change into the highest level.
const EXTRA_SERVICES_WEIGHT_CAP = 3;
const HIGH_FROM = 6;
const MEDIUM_FROM = 3;

/** The built-in risk rule: a pure function of the request. */
export function assessRisk(
  request: Pick<ChangeRequest, 'blastRadius' | 'hasDatabaseMigration' | 'services'>,
): RiskScore {
  const factors: string[] = [];
  let score = 0;

  const blast = BLAST_RADIUS_WEIGHT[request.blastRadius];
  score += blast;
  factors.push(`${request.blastRadius} blast radius (+${blast})`);

  if (request.hasDatabaseMigration) {
    score += DATABASE_MIGRATION_WEIGHT;
    factors.push(`includes a database migration (+${DATABASE_MIGRATION_WEIGHT})`);
  }

  // Counted once each: a service listed twice is still one service.
  const services = new Set(request.services).size;
  if (services > 1) {
    const extra = Math.min(services - 1, EXTRA_SERVICES_WEIGHT_CAP);
    score += extra;
    const capped = extra < services - 1 ? ', capped' : '';
    factors.push(`touches ${services} services (+${extra}${capped})`);
  }

  return { score, level: levelOf(score), factors };
}

function levelOf(score: number): RiskLevel {
  if (score >= HIGH_FROM) return 'high';
  if (score >= MEDIUM_FROM) return 'medium';
  return 'low';
}

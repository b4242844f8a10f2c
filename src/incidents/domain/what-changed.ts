import type { RiskLevel } from '../../policy/policy';
import { scoreFactors, scoreOf, type DeploymentStatusAt, type ScoreFactors } from './suspect-score';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * One row of the deployment timeline: a change (or an unplanned deploy) reaching one service
 * in one environment. Times are epoch milliseconds.
 */
export interface TimelineDeployment {
  /** `change:<change id>`, or `unplanned:<service>:<environment>:<deployment id or version>`. */
  readonly deploymentKey: string;
  readonly service: string;
  readonly environment: string;
  /** The change deployed; for an unplanned deploy, the change it named, if any. */
  readonly changeId: string | null;
  readonly title: string | null;
  /** No approved change accounts for it. */
  readonly unplanned: boolean;
  readonly version: string | null;
  readonly commit: string | null;
  readonly riskLevel: RiskLevel | null;
  readonly startedAt: number;
  readonly deployedAt: number | null;
  readonly rolledBackAt: number | null;
}

/** A service the alerting one depends on, `depth` edges away along `path`. */
export interface UpstreamService {
  readonly service: string;
  readonly depth: number;
  readonly path: readonly string[];
}

export interface WhatChangedQuestion {
  readonly service: string;
  /** The alert's start, epoch milliseconds: nothing after it is seen. */
  readonly at: number;
  readonly windowHours: number;
}

export type SuspectReason =
  | 'same-service'
  | 'dependency'
  | 'most-recent'
  | 'still-rolling-out'
  | 'rolled-back'
  | 'high-risk'
  | 'unplanned'
  | 'explicit-cause';

export interface Suspect {
  readonly deploymentKey: string;
  readonly changeId: string | null;
  readonly title: string | null;
  readonly service: string;
  readonly environment: string;
  readonly version: string | null;
  readonly commit: string | null;
  readonly riskLevel: RiskLevel | null;
  readonly unplanned: boolean;
  readonly relation: 'same-service' | 'dependency';
  readonly depth: number;
  readonly path: readonly string[];
  /** As it stood at the moment asked about; later moves are not known then. */
  readonly status: DeploymentStatusAt;
  readonly startedAt: string;
  readonly deployedAt: string | null;
  readonly rolledBackAt: string | null;
  /** Its last move (start, completion or rollback) at or before the moment asked about. */
  readonly changedAt: string;
  readonly minutesBefore: number;
  readonly score: number;
  readonly factors: ScoreFactors;
  readonly reasons: readonly SuspectReason[];
}

interface Candidate {
  readonly deployment: TimelineDeployment;
  readonly upstream: UpstreamService;
  readonly status: DeploymentStatusAt;
  readonly deployedAt: number | null;
  readonly rolledBackAt: number | null;
  readonly changedAt: number;
}

/** The deployment as it stood at `at`, or null when it had not started yet. */
function asOf(
  deployment: TimelineDeployment,
  upstream: UpstreamService,
  at: number,
): Candidate | null {
  if (deployment.startedAt > at) return null;
  const seen = (time: number | null) => (time !== null && time <= at ? time : null);
  const deployedAt = seen(deployment.deployedAt);
  const rolledBackAt = seen(deployment.rolledBackAt);
  const status: DeploymentStatusAt =
    rolledBackAt !== null ? 'rolled-back' : deployedAt !== null ? 'deployed' : 'rolling-out';
  const changedAt = Math.max(deployment.startedAt, deployedAt ?? 0, rolledBackAt ?? 0);
  return { deployment, upstream, status, deployedAt, rolledBackAt, changedAt };
}

/** The start of the look-back window: [windowStart, at] is what is looked at. */
export function windowStart(question: WhatChangedQuestion): number {
  return question.at - question.windowHours * HOUR;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/**
 * What changed on the service, or on anything it depends on, in the window before `at`: every
 * deployment that started, completed or was rolled back in [at − window, at], most suspect
 * first. `upstream` is what the service depends on (any depth walked); deployments of other
 * services, or outside the window, are not suspects.
 */
export function whatChangedBefore(
  question: WhatChangedQuestion,
  upstream: readonly UpstreamService[],
  deployments: readonly TimelineDeployment[],
): Suspect[] {
  const { service, at } = question;
  const from = windowStart(question);
  const reach = new Map<string, UpstreamService>([
    [service, { service, depth: 0, path: [service] }],
    ...upstream.map((u): [string, UpstreamService] => [u.service, u]),
  ]);
  const candidates = deployments.flatMap((deployment) => {
    const via = reach.get(deployment.service);
    const candidate = via ? asOf(deployment, via, at) : null;
    return candidate && candidate.changedAt >= from ? [candidate] : [];
  });
  const mostRecent = Math.max(...candidates.map((c) => c.changedAt));
  return candidates
    .map((candidate) => ({ candidate, factors: factorsOf(candidate, at) }))
    .sort((a, b) => scoreOf(b.factors) - scoreOf(a.factors) || byRecency(a.candidate, b.candidate))
    .map(({ candidate, factors }) => toSuspect(candidate, factors, at, mostRecent));
}

function factorsOf(candidate: Candidate, at: number): ScoreFactors {
  const { deployment, upstream, status, changedAt } = candidate;
  return scoreFactors({
    minutesBefore: (at - changedAt) / MINUTE,
    depth: upstream.depth,
    riskLevel: deployment.unplanned ? 'unassessed' : (deployment.riskLevel ?? 'unassessed'),
    status,
  });
}

/** Ties go to the later move, then a stable order so the same history ranks the same way. */
function byRecency(a: Candidate, b: Candidate): number {
  const key = (c: Candidate) => `${c.deployment.service}\n${c.deployment.deploymentKey}`;
  return b.changedAt - a.changedAt || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function toSuspect(
  candidate: Candidate,
  factors: ScoreFactors,
  at: number,
  mostRecent: number,
): Suspect {
  const { deployment, upstream, status, changedAt } = candidate;
  const relation = upstream.depth === 0 ? 'same-service' : 'dependency';
  const reasons: SuspectReason[] = [relation];
  if (changedAt === mostRecent) reasons.push('most-recent');
  if (status === 'rolling-out') reasons.push('still-rolling-out');
  if (status === 'rolled-back') reasons.push('rolled-back');
  if (deployment.riskLevel === 'high') reasons.push('high-risk');
  if (deployment.unplanned) reasons.push('unplanned');
  return {
    deploymentKey: deployment.deploymentKey,
    changeId: deployment.changeId,
    title: deployment.title,
    service: deployment.service,
    environment: deployment.environment,
    version: deployment.version,
    commit: deployment.commit,
    riskLevel: deployment.riskLevel,
    unplanned: deployment.unplanned,
    relation,
    depth: upstream.depth,
    path: upstream.path,
    status,
    startedAt: new Date(deployment.startedAt).toISOString(),
    deployedAt: iso(candidate.deployedAt),
    rolledBackAt: iso(candidate.rolledBackAt),
    changedAt: new Date(changedAt).toISOString(),
    minutesBefore: round((at - changedAt) / MINUTE, 2),
    score: round(scoreOf(factors), 6),
    factors: {
      proximity: round(factors.proximity, 6),
      relation: round(factors.relation, 6),
      risk: factors.risk,
      state: factors.state,
    },
    reasons,
  };
}

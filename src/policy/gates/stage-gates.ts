import type { GatePolicy } from '../policy';

/** What a rollout stage observed, as its reporter measured it. */
export interface StageMetrics {
  /** Failed requests over all requests, a ratio: 0.001 is 0.1 %. */
  readonly errorRate?: number;
  readonly p99LatencyMs?: number;
  /** p99 latency before the rollout, what the increase is measured against. */
  readonly baselineP99LatencyMs?: number;
}

/** One threshold of the policy, checked against one observed figure. */
export interface GateCheck {
  readonly name: string;
  readonly verdict: 'pass' | 'fail';
  readonly observed?: number;
  readonly threshold?: number;
}

export interface StageVerdict {
  readonly verdict: 'promote' | 'halt';
  /** The ledger's own checks, from the policy and the metrics. */
  readonly checks: readonly GateCheck[];
  readonly reason: string;
}

/**
 * Whether a rollout stage may be promoted: every gate of the policy holds on the metrics the
 * stage reports, they were observed for the policy's hold time (`heldMinutes`, measured by the
 * ledger from the previous step), and no gate the reporter ran itself failed.
 */
export function judgeStage(
  policy: GatePolicy,
  metrics: StageMetrics | undefined,
  heldMinutes: number,
  reportedFailures: readonly string[],
): StageVerdict {
  const checks = metrics === undefined ? [] : gateChecks(policy, metrics, heldMinutes);
  const failed = checks.filter((check) => check.verdict === 'fail').map((check) => check.name);
  const reasons = [
    ...failed.map((name) => `${name} failed`),
    ...reportedFailures.map((name) => `reported gate ${name} failed`),
  ];
  if (metrics === undefined && policy.withoutMetrics === 'halt') {
    reasons.push('no metrics were reported and the policy halts stages without them');
  }
  if (reasons.length > 0) return { verdict: 'halt', checks, reason: reasons.join('; ') };
  return {
    verdict: 'promote',
    checks,
    reason: metrics === undefined ? 'no metrics reported: not gated' : 'every gate held',
  };
}

function gateChecks(policy: GatePolicy, metrics: StageMetrics, heldMinutes: number): GateCheck[] {
  const checks: GateCheck[] = [
    {
      name: 'hold-time',
      verdict: heldMinutes >= policy.holdMinutes ? 'pass' : 'fail',
      observed: round(heldMinutes),
      threshold: policy.holdMinutes,
    },
  ];
  if (policy.errorRateBelow !== null) {
    const observed = metrics.errorRate;
    checks.push({
      name: 'error-rate',
      // A gate the policy sets and the stage did not measure has not held.
      verdict: observed !== undefined && observed < policy.errorRateBelow ? 'pass' : 'fail',
      observed,
      threshold: policy.errorRateBelow,
    });
  }
  if (policy.p99LatencyIncreaseAtMostPercent !== null) {
    const { p99LatencyMs, baselineP99LatencyMs } = metrics;
    const increase =
      p99LatencyMs !== undefined && baselineP99LatencyMs !== undefined && baselineP99LatencyMs > 0
        ? round(((p99LatencyMs - baselineP99LatencyMs) / baselineP99LatencyMs) * 100)
        : undefined;
    checks.push({
      name: 'p99-latency-increase-percent',
      verdict:
        increase !== undefined && increase <= policy.p99LatencyIncreaseAtMostPercent
          ? 'pass'
          : 'fail',
      observed: increase,
      threshold: policy.p99LatencyIncreaseAtMostPercent,
    });
  }
  return checks;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

import { median, nearestRankPercentile } from '../../kernel/percentile';
import type { Period } from './periods';

/** One deployment to one service, as the delivery figures need it; times in epoch ms. */
export interface DeliveredDeployment {
  readonly deploymentKey: string;
  readonly service: string;
  readonly environment: string;
  readonly startedAt: number;
  readonly deployedAt: number | null;
  readonly rolledBackAt: number | null;
  /** When its change was requested; null for an unplanned deploy. */
  readonly requestedAt: number | null;
  /** The earliest merge that matches it (by commit or change id), if any. */
  readonly mergedAt: number | null;
  /** An alert counts against it: a responder named its change, or the heuristic's top suspect. */
  readonly failedByAlert: boolean;
}

export interface DeliveryFigures {
  /** Deployments that went live in the period. */
  readonly deployments: number;
  readonly leadTime: {
    readonly count: number;
    readonly medianSeconds: number | null;
    readonly p90Seconds: number | null;
  };
  readonly changeFailureRate: {
    readonly failed: number;
    readonly deployments: number;
    /** failed / deployments; null when nothing was deployed. */
    readonly rate: number | null;
  };
  readonly recoveryTime: {
    readonly failed: number;
    readonly recovered: number;
    readonly medianSeconds: number | null;
  };
}

/**
 * When a deployment went live: when it completed, or, for a rollout rolled back before it
 * completed, when it started (it reached production, partly). Null while still rolling out.
 */
export function liveAt(deployment: DeliveredDeployment): number | null {
  if (deployment.deployedAt !== null) return deployment.deployedAt;
  return deployment.rolledBackAt !== null ? deployment.startedAt : null;
}

export function hasFailed(deployment: DeliveredDeployment): boolean {
  return deployment.rolledBackAt !== null || deployment.failedByAlert;
}

/** From the merge if one is known, else from the change's request, to completion. */
export function leadTimeSeconds(deployment: DeliveredDeployment): number | null {
  const from = deployment.mergedAt ?? deployment.requestedAt;
  if (from === null || deployment.deployedAt === null || deployment.deployedAt < from) return null;
  return (deployment.deployedAt - from) / 1000;
}

/** A deployment that went live, and when. */
interface Live {
  readonly deployment: DeliveredDeployment;
  readonly at: number;
}

/**
 * When production recovered from a failed deployment: its rollback, or the next deployment
 * of the same service and environment that completed and did not fail, whichever came first.
 * `later` is what went live after it on that service and environment, in order.
 */
function recoveredAt({ deployment, at }: Live, later: readonly Live[]): number | null {
  const nextGood = later.find(
    ({ deployment: d }) => d.deployedAt !== null && d.deployedAt > at && !hasFailed(d),
  );
  const candidates = [deployment.rolledBackAt, nextGood?.deployment.deployedAt ?? null];
  const times = candidates.filter((t): t is number => t !== null);
  return times.length === 0 ? null : Math.min(...times);
}

/**
 * The four keys for each period. `deployments` may reach past the last period: later
 * deployments are what a failure recovered with.
 */
export function deliveryMetrics(
  deployments: readonly DeliveredDeployment[],
  periods: readonly Period[],
): Array<Period & DeliveryFigures> {
  const live = deployments
    .flatMap((deployment): Live[] => {
      const at = liveAt(deployment);
      return at === null ? [] : [{ deployment, at }];
    })
    .sort((a, b) => a.at - b.at);
  const byTarget = new Map<string, Live[]>();
  for (const entry of live) {
    const target = `${entry.deployment.service}\n${entry.deployment.environment}`;
    byTarget.set(target, [...(byTarget.get(target) ?? []), entry]);
  }
  const recoverySeconds = new Map<Live, number>();
  for (const sequence of byTarget.values()) {
    sequence.forEach((entry, i) => {
      if (!hasFailed(entry.deployment)) return;
      const recovered = recoveredAt(entry, sequence.slice(i + 1));
      if (recovered !== null) recoverySeconds.set(entry, (recovered - entry.at) / 1000);
    });
  }
  return periods.map((period) => ({
    ...period,
    ...figures(
      live.filter(({ at }) => at >= period.start && at < period.end),
      recoverySeconds,
    ),
  }));
}

function figures(
  live: readonly Live[],
  recoverySeconds: ReadonlyMap<Live, number>,
): DeliveryFigures {
  const deployments = live.map((entry) => entry.deployment);
  const leadTimes = deployments.map(leadTimeSeconds).filter((s): s is number => s !== null);
  const failed = live.filter((entry) => hasFailed(entry.deployment));
  const recoveries = failed.flatMap((entry) => recoverySeconds.get(entry) ?? []);
  return {
    deployments: deployments.length,
    leadTime: {
      count: leadTimes.length,
      medianSeconds: median(leadTimes),
      p90Seconds: nearestRankPercentile(leadTimes, 90),
    },
    changeFailureRate: {
      failed: failed.length,
      deployments: deployments.length,
      rate: deployments.length === 0 ? null : failed.length / deployments.length,
    },
    recoveryTime: {
      failed: failed.length,
      recovered: recoveries.length,
      medianSeconds: median(recoveries),
    },
  };
}

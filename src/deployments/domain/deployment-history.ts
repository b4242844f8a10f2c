import type { DeploymentObservedData } from './service-events';

/** A version a service ran in one environment, and the change that put it there. */
export interface RunningVersion {
  readonly version: string;
  readonly changeId: string | null;
}

/** What the service's stream says about one environment, newest first. */
export interface DeploymentHistory {
  readonly current: RunningVersion | null;
  /** Versions it ran before the current one. */
  readonly earlier: ReadonlySet<string>;
}

/**
 * Folds the deploys recorded for a service (oldest first) into what ran in an environment.
 * Only completed deploys count: a started or failed one never replaced what was running.
 */
export function deploymentHistory(
  observed: readonly DeploymentObservedData[],
  environment: string,
): DeploymentHistory {
  let current: RunningVersion | null = null;
  const earlier = new Set<string>();
  for (const deploy of observed) {
    if (deploy.environment !== environment || deploy.version === undefined) continue;
    if (deploy.phase !== 'succeeded' && deploy.phase !== 'rolledback') continue;
    if (current && current.version !== deploy.version) earlier.add(current.version);
    current = { version: deploy.version, changeId: deploy.changeId };
  }
  if (current) earlier.delete(current.version);
  return { current, earlier };
}

/**
 * V1, V2, V1: completing a deploy of a version the environment ran before, other than the
 * current one, rolls the current one back — even when the sender calls it a deploy.
 */
export function returnsToEarlierVersion(history: DeploymentHistory, version: string | undefined) {
  if (version === undefined || history.current === null) return null;
  if (history.current.version === version || !history.earlier.has(version)) return null;
  return {
    fromVersion: history.current.version,
    toVersion: version,
    changeId: history.current.changeId,
  };
}

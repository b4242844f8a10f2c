/** Exponential back-off between retries of an operation that failed for a transient reason. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5000 };

/**
 * Up to this share of each delay is taken off at random, so that instances that lost the same
 * server at the same moment do not all come back to it in the same millisecond.
 */
const JITTER = 0.2;

/**
 * Delay before retry number `attempt` (0 for the first retry): doubling from initialMs, capped
 * at maxMs, less up to a fifth at random (`random` returns a number in [0, 1)).
 */
export function backoffDelay(
  attempt: number,
  { initialMs, maxMs }: Backoff,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (1 - JITTER * random()));
}

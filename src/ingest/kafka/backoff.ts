/** Exponential back-off between retries of an operation that failed for a transient reason. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5000 };

/** Delay before retry number `attempt` (0 for the first retry): doubling, capped at maxMs. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: Backoff): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

import { setTimeout as sleep } from 'node:timers/promises';

export const TIMED_OUT: unique symbol = Symbol('timed out');

/** The work's result, or TIMED_OUT after `ms`; the timer never outlives the race. */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  const timer = new AbortController();
  const timeout = sleep(ms, TIMED_OUT, { signal: timer.signal }).catch(
    (): typeof TIMED_OUT => TIMED_OUT,
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    timer.abort();
  }
}

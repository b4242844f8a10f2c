import { SqlUnavailable } from '../sql/sql-unavailable';
import { StoreUnavailable } from './ledger-errors';

export function sqlErrorCode(error: unknown): { code?: string; constraint?: string } {
  return typeof error === 'object' && error !== null ? error : {};
}

/**
 * Runs SQL work, reporting a database that cannot be reached as StoreUnavailable: what callers
 * (the ingest consumer, the HTTP layer) treat as "wait and retry". An append cut off in its
 * COMMIT may have been written; its retry finds the same event ids stored and writes nothing.
 */
export async function whileSqlReachable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SqlUnavailable) throw new StoreUnavailable(error.cause);
    throw error;
  }
}

import { StoreUnavailable } from '../../ledger-errors';

export function sqlErrorCode(error: unknown): { code?: string; constraint?: string } {
  return typeof error === 'object' && error !== null ? error : {};
}

/** SQLSTATE classes that mean the server, not the statement, is the problem. */
function isUnavailable(error: unknown): boolean {
  const { code } = sqlErrorCode(error);
  if (code === undefined)
    return (
      error instanceof Error && /ECONN|ETIMEDOUT|EPIPE|terminat|Connection/i.test(error.message)
    );
  return /^(08|53|57P)/.test(code);
}

/**
 * Runs SQL work, reporting a server that cannot be reached as StoreUnavailable: what callers
 * (the ingest consumer, the HTTP layer) treat as "wait and retry, nothing was written".
 */
export async function whileSqlReachable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailable(error)) throw new StoreUnavailable(error);
    throw error;
  }
}

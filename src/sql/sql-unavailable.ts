import type { Refusal, Refused } from '../kernel/refusal';

/**
 * The database could not be reached, or dropped the connection, or is starting or shutting
 * down: the server is the problem, not the statement. Retrying later may succeed. When the
 * connection broke during a COMMIT the transaction may or may not have committed, so work
 * that is retried must be idempotent (ledger appends are, by event id).
 */
export class SqlUnavailable extends Error implements Refused {
  readonly refusal: Refusal = { kind: 'unavailable', code: 'store-unavailable' };

  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'SqlUnavailable';
  }
}

/**
 * SQLSTATE classes of a server that cannot serve: 08 connection exception, 53 insufficient
 * resources (too many connections, disk full), 57P operator intervention (admin or crash
 * shutdown, starting up).
 */
const SERVER_STATES = /^(08|53|57P)/;

/** Socket errors of a server that is down or a network that dropped. */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What `pg` and `pg-pool` say without a code when a connection ends or cannot be opened in
 * time, and what PGlite says once its engine is gone.
 */
const CONNECTION_MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|PGlite is closed/i;

/** Node has WebAssembly; the TypeScript libraries this project compiles with do not declare it. */
const WasmRuntimeError = (
  globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }
).WebAssembly.RuntimeError;

/** Whether an error says the database, not the statement, failed. */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof SqlUnavailable) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string') {
    if (SOCKET_ERRORS.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return SERVER_STATES.test(code);
  }
  // The embedded engine aborted (a WebAssembly trap): every later call fails the same way.
  if (error instanceof WasmRuntimeError) return true;
  return error instanceof Error && CONNECTION_MESSAGES.test(error.message);
}

/** The error as callers should see it: SqlUnavailable when the database failed, else as is. */
export function asSqlError(error: unknown): unknown {
  return isConnectionFailure(error) && !(error instanceof SqlUnavailable)
    ? new SqlUnavailable(error)
    : error;
}

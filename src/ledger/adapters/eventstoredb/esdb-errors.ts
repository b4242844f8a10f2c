import {
  ErrorType,
  StreamDeletedError,
  WrongExpectedVersionError,
  isCommandError,
} from '@eventstore/db-client';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ExpectedRevision } from '../../event-store';
import { StoreUnavailable, StreamDeleted, WrongExpectedRevision } from '../../ledger-errors';

/** What the caller was doing, for errors that do not carry it themselves. */
export interface ErrorContext {
  readonly streamId?: string;
  /** The caller's expectation: reported instead of the exact revision the adapter sent. */
  readonly expected?: ExpectedRevision;
}

/**
 * Errors that mean "the store could not be asked or did not answer": the server is down or
 * unreachable, is shutting down, is not the leader (the client reconnects on the next call), or
 * timed out. An append that timed out may still have been written; retrying it is safe because
 * a re-append of the same event ids is recognised as already stored.
 */
const UNAVAILABLE_TYPES = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
  ErrorType.TIMEOUT,
]);

const UNAVAILABLE_GRPC_CODES = new Set<number>([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
]);

/** Cluster discovery and socket failures that reach us as plain errors, not gRPC statuses. */
const UNAVAILABLE_MESSAGE = /Failed to discover|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ETIMEDOUT/;

/** Maps what @eventstore/db-client throws to the ledger's errors; anything else is returned as is. */
export function toLedgerError(error: unknown, context: ErrorContext = {}): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevision(
      error.streamName || (context.streamId ?? ''),
      context.expected ?? expectedOf(error.expectedVersion),
      actualRevisionOf(error.actualVersion),
    );
  }
  if (error instanceof StreamDeletedError) {
    return new StreamDeleted(error.streamName || (context.streamId ?? ''));
  }
  if (isUnavailable(error)) return new StoreUnavailable(error);
  return error;
}

export function isUnavailable(error: unknown): boolean {
  if (error instanceof Error && isCommandError(error)) return UNAVAILABLE_TYPES.has(error.type);
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'number' && UNAVAILABLE_GRPC_CODES.has(code)) return true;
  return error instanceof Error && UNAVAILABLE_MESSAGE.test(error.message);
}

/** The server's current revision; -1 when the stream does not exist. */
export function actualRevisionOf(actual: WrongExpectedVersionError['actualVersion']): number {
  return typeof actual === 'bigint' ? Number(actual) : -1;
}

function expectedOf(expected: WrongExpectedVersionError['expectedVersion']): ExpectedRevision {
  if (typeof expected === 'bigint') return Number(expected);
  return expected === 'no_stream' ? 'no-stream' : 'any';
}

import { SqlUnavailable } from '../sql/sql-unavailable';
import type { ExpectedRevision } from './event-store';
import type { Refusal, Refused } from '../kernel/refusal';

/** The stream is not where the caller expected it: someone else appended first. Retryable. */
export class WrongExpectedRevision extends Error implements Refused {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Last revision actually stored; -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(
      `stream ${streamId}: expected revision ${String(expected)}, actual ${actual < 0 ? 'no stream' : actual}`,
    );
    this.name = 'WrongExpectedRevision';
  }

  get refusal(): Refusal {
    return {
      kind: 'conflict',
      code: 'concurrent-write',
      detail: `${this.message}; retry the request`,
      actualRevision: this.actual,
    };
  }
}

/** An eventId already stored with different content: never silently overwritten. */
export class DuplicateEventConflict extends Error implements Refused {
  readonly refusal: Refusal = { kind: 'conflict', code: 'duplicate-event' };

  constructor(readonly eventId: string) {
    super(`event ${eventId} is already stored with different content`);
    this.name = 'DuplicateEventConflict';
  }
}

/** The event cannot be stored as given (e.g. a NUL character, which PostgreSQL's jsonb refuses). */
export class UnstorableEvent extends Error implements Refused {
  readonly refusal: Refusal = { kind: 'invalid', code: 'unstorable-event' };

  constructor(
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`event ${eventId} cannot be stored: ${reason}`);
    this.name = 'UnstorableEvent';
  }
}

/**
 * The store cannot be reached. Nothing was written, unless the connection broke while a write
 * was committing: a retry of the same events (same event ids) then finds them stored.
 */
export class StoreUnavailable extends Error implements Refused {
  readonly refusal: Refusal = { kind: 'unavailable', code: 'store-unavailable' };

  constructor(cause: unknown) {
    super(`event store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'StoreUnavailable';
  }
}

/** The store or the read-model database is down: an outage to wait out, not a bug. */
export function isStoreOutage(error: unknown): boolean {
  return error instanceof StoreUnavailable || error instanceof SqlUnavailable;
}

/** The stream was deleted in the underlying store (only EventStoreDB can delete; ours never does). */
export class StreamDeleted extends Error implements Refused {
  readonly refusal: Refusal = { kind: 'not-found', code: 'stream-deleted' };

  constructor(readonly streamId: string) {
    super(`stream ${streamId} was deleted`);
    this.name = 'StreamDeleted';
  }
}

/** A feed position this store never handed out (a typo, or another store's position). */
export class InvalidPosition extends Error implements Refused {
  readonly refusal: Refusal = {
    kind: 'invalid',
    code: 'invalid-position',
    fields: [{ field: 'after', reason: 'not a position handed out by this ledger' }],
  };

  constructor(readonly position: string) {
    super(`not a position of this store: ${JSON.stringify(position)}`);
    this.name = 'InvalidPosition';
  }
}

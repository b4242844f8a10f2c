import type { ProposedEvent, RecordedEvent } from './ledger-event';

/**
 * What the caller believes the stream's last revision is: `no-stream` for a new stream,
 * an exact revision, or `any` to append wherever the stream ends.
 */
export type ExpectedRevision = 'no-stream' | 'any' | number;

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the stream's last event after the append. */
  readonly lastRevision: number;
  readonly events: readonly RecordedEvent[];
  /** True when every event was already stored (idempotent redelivery): nothing was written. */
  readonly alreadyStored: boolean;
}

/** One stream's part of `appendMany`: what `append` takes. */
export interface StreamAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly ProposedEvent[];
}

export interface ReadStreamOptions {
  readonly direction?: 'forward' | 'backward';
  /** First revision to read (inclusive); defaults to the start (forward) or end (backward). */
  readonly fromRevision?: number;
  readonly limit?: number;
}

export interface SubscribeOptions {
  /** Resume after this position; null starts from the beginning of the log. */
  readonly after: string | null;
  readonly signal: AbortSignal;
  /** Events fetched per round trip while catching up. */
  readonly batchSize?: number;
}

/**
 * The ledger's event store port. Every adapter (embedded PGlite, PostgreSQL, EventStoreDB)
 * passes the same conformance suite in test/event-store.conformance.ts.
 */
export interface EventStore {
  readonly name: string;
  /** Appends atomically, hash-chained onto the stream; throws WrongExpectedRevision on conflict. */
  append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ): Promise<AppendResult>;
  /**
   * Many appends, each settled exactly as `append` would settle it had it been called for
   * each in turn: atomic per append, a stream's appends applied in the order given, a refusal
   * of one leaving the others alone. Not atomic as a whole. A store may write them together in
   * one round trip, which is the point: ingest writes hundreds of small appends at a time.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<Array<PromiseSettledResult<AppendResult>>>;
  /** Which of these event ids are stored, in any stream (answered in the form given). */
  storedEventIds(eventIds: readonly string[]): Promise<ReadonlySet<string>>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Up to `limit` events of the global feed strictly after `after` (null: from the start). */
  readAll(after: string | null, limit: number): Promise<RecordedEvent[]>;
  /** The global feed: catches up from `after`, then follows live until the signal aborts. */
  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Cheap round trip for readiness checks; throws StoreUnavailable when the store is down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Whether a stream whose last revision is `actual` (-1: no stream) is where `expected` says. */
export function isAtExpected(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual === -1;
  return expected === actual;
}

export const EVENT_STORE = Symbol('EventStore');

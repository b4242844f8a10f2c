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
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Up to `limit` events of the global feed strictly after `after` (null: from the start). */
  readAll(after: string | null, limit: number): Promise<RecordedEvent[]>;
  /** The global feed: catches up from `after`, then follows live until the signal aborts. */
  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Cheap round trip for readiness checks; throws StoreUnavailable when the store is down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

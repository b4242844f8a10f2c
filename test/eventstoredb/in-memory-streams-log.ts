import { randomUUID } from 'node:crypto';

/**
 * The storage behind the streams protocol test double: an in-memory transaction log with
 * EventStoreDB's documented append semantics (expected revision and idempotence, see
 * "Optimistic concurrency and idempotence" in its client documentation) and `$all` positions
 * that are byte offsets into the log, as on a real server (commit = prepare: no explicit
 * transactions here). Knows nothing of gRPC.
 */

export const TOMBSTONE_REVISION = (1n << 63n) - 1n;
export const TOMBSTONE_TYPE = '$streamDeleted';

export interface ProposedRecord {
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface LogRecord extends ProposedRecord {
  readonly streamId: string;
  readonly revision: bigint;
  /** Ticks (100 ns) since the Unix epoch, as the server reports `created`. */
  readonly created: bigint;
  /** Where the record starts in the log; `$all` position {commit: position, prepare: position}. */
  readonly position: bigint;
}

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no-stream' }
  | { readonly kind: 'stream-exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | {
      readonly result: 'success';
      /** Last revision of the stream, -1 for a stream that still does not exist. */
      readonly currentRevision: bigint;
      readonly position: bigint | null;
    }
  | { readonly result: 'wrong-expected-version'; readonly currentRevision: bigint }
  | { readonly result: 'stream-deleted' };

export type StreamRead =
  | { readonly result: 'ok'; readonly records: readonly LogRecord[] }
  | { readonly result: 'not-found' }
  | { readonly result: 'deleted' };

export interface AllFilter {
  readonly on: 'stream' | 'type';
  readonly prefixes: readonly string[];
  readonly regex: string;
}

export interface AllPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

interface StreamState {
  readonly records: LogRecord[];
  deleted: boolean;
}

/** Fixed per-record overhead, so positions advance like a log's byte offsets, not 0, 1, 2. */
const RECORD_HEADER_BYTES = 88n;

export class InMemoryStreamsLog {
  private readonly log: LogRecord[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly listeners = new Set<(record: LogRecord) => void>();
  private nextPosition = 0n;
  /** Appends refused for a wrong expected version: lets a test show a race really happened. */
  wrongExpectedVersions = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.log.length;
  }

  /** Position just past the last record: where a subscription "from the end" goes live. */
  get endPosition(): bigint {
    return this.nextPosition;
  }

  lastRevision(streamId: string): bigint {
    const stream = this.streams.get(streamId);
    return stream && stream.records.length > 0 ? BigInt(stream.records.length - 1) : -1n;
  }

  append(
    streamId: string,
    expected: ExpectedState,
    events: readonly ProposedRecord[],
  ): AppendOutcome {
    const stream = this.streams.get(streamId);
    if (stream?.deleted) return { result: 'stream-deleted' };
    const outcome = this.decideAppend(streamId, expected, events);
    if (outcome.result === 'wrong-expected-version') this.wrongExpectedVersions += 1;
    return outcome;
  }

  private decideAppend(
    streamId: string,
    expected: ExpectedState,
    events: readonly ProposedRecord[],
  ): AppendOutcome {
    const stream = this.streams.get(streamId);
    const current = this.lastRevision(streamId);
    const wrong = { result: 'wrong-expected-version', currentRevision: current } as const;

    if (expected.kind === 'any' || expected.kind === 'stream-exists') {
      if (expected.kind === 'stream-exists' && current === -1n) return wrong;
      // Best-effort idempotence: the same ids already in the stream are acknowledged, not written
      // again. Some but not all of them is a bad request, reported as a wrong expected version.
      const known = events.map((e) => stream?.records.find((r) => r.eventId === e.eventId));
      if (known.length > 0 && known[0] !== undefined) {
        if (known.some((r) => r === undefined)) return wrong;
        const last = known[known.length - 1] as LogRecord;
        return { result: 'success', currentRevision: last.revision, position: last.position };
      }
      return this.write(streamId, current, events);
    }

    const expectedRevision = expected.kind === 'no-stream' ? -1n : expected.revision;
    if (expectedRevision > current) return wrong;
    if (expectedRevision === current) return this.write(streamId, current, events);
    // Behind the stream: acknowledged only if exactly these ids follow the expected revision.
    let revision = expectedRevision;
    let last: LogRecord | undefined;
    for (const event of events) {
      revision += 1n;
      const record = stream?.records[Number(revision)];
      if (record?.eventId !== event.eventId) return wrong;
      last = record;
    }
    if (last === undefined) return wrong;
    return { result: 'success', currentRevision: last.revision, position: last.position };
  }

  /** Hard delete: the stream can never be read or written again; a tombstone goes into `$all`. */
  tombstone(streamId: string, expected: ExpectedState): AppendOutcome {
    const stream = this.streams.get(streamId);
    if (stream?.deleted) return { result: 'stream-deleted' };
    const current = this.lastRevision(streamId);
    const ok =
      expected.kind === 'any' ||
      (expected.kind === 'no-stream' && current === -1n) ||
      (expected.kind === 'stream-exists' && current !== -1n) ||
      (expected.kind === 'revision' && expected.revision === current);
    if (!ok) return { result: 'wrong-expected-version', currentRevision: current };
    const record = this.record(streamId, TOMBSTONE_REVISION, {
      eventId: randomUUID(),
      type: TOMBSTONE_TYPE,
      contentType: 'application/octet-stream',
      data: new Uint8Array(),
      metadata: new Uint8Array(),
    });
    const state = stream ?? { records: [], deleted: false };
    state.deleted = true;
    this.streams.set(streamId, state);
    this.commit([record]);
    return { result: 'success', currentRevision: current, position: record.position };
  }

  /** `from`: first revision (forward) or last revision (backward) to read; null for the end. */
  readStream(
    streamId: string,
    direction: 'forwards' | 'backwards',
    from: bigint | null,
    count: bigint,
  ): StreamRead {
    const stream = this.streams.get(streamId);
    if (stream?.deleted) return { result: 'deleted' };
    if (!stream || stream.records.length === 0) return { result: 'not-found' };
    const records = stream.records;
    const last = BigInt(records.length - 1);
    if (direction === 'forwards') {
      if (from === null || from > last) return { result: 'ok', records: [] };
      const start = Number(from);
      return { result: 'ok', records: records.slice(start, start + clamp(count)) };
    }
    // The server pages backwards from the requested revision down to the start, so a revision
    // past the end reads from the last event.
    const top = from === null || from > last ? last : from;
    if (top < 0n) return { result: 'ok', records: [] };
    const end = Number(top) + 1;
    return {
      result: 'ok',
      records: records.slice(Math.max(0, end - clamp(count)), end).reverse(),
    };
  }

  /**
   * Forwards from a position includes the record starting there (a read position points at the
   * start of a record); backwards from a position reads what lies before it.
   */
  readAll(
    direction: 'forwards' | 'backwards',
    from: AllPosition | 'start' | 'end',
    count: bigint,
    filter: AllFilter | null,
  ): LogRecord[] {
    const max = clamp(count);
    const out: LogRecord[] = [];
    if (direction === 'forwards') {
      if (from === 'end') return out;
      for (const record of this.log) {
        if (out.length >= max) break;
        if (from !== 'start' && compareToRecord(from, record) > 0) continue;
        if (matchesFilter(record, filter)) out.push(record);
      }
      return out;
    }
    for (let i = this.log.length - 1; i >= 0 && out.length < max; i--) {
      const record = this.log[i];
      if (from === 'start') break;
      if (from !== 'end' && compareToRecord(from, record) <= 0) continue;
      if (matchesFilter(record, filter)) out.push(record);
    }
    return out;
  }

  /** Records strictly after a position (null: all), in log order: a subscription's catch-up. */
  recordsAfter(position: AllPosition | null): LogRecord[] {
    return position === null
      ? [...this.log]
      : this.log.filter((record) => compareToRecord(position, record) < 0);
  }

  /** Called synchronously for every committed record, after it is readable. */
  onCommit(listener: (record: LogRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(
    streamId: string,
    current: bigint,
    events: readonly ProposedRecord[],
  ): AppendOutcome {
    if (events.length === 0) return { result: 'success', currentRevision: current, position: null };
    const state = this.streams.get(streamId) ?? { records: [], deleted: false };
    this.streams.set(streamId, state);
    const records = events.map((event, i) =>
      this.record(streamId, current + 1n + BigInt(i), event),
    );
    state.records.push(...records);
    this.commit(records);
    const last = records[records.length - 1];
    return { result: 'success', currentRevision: last.revision, position: last.position };
  }

  private record(streamId: string, revision: bigint, event: ProposedRecord): LogRecord {
    const record: LogRecord = {
      ...event,
      eventId: event.eventId.toLowerCase(),
      streamId,
      revision,
      created: BigInt(this.now()) * 10_000n,
      position: this.nextPosition,
    };
    this.nextPosition +=
      RECORD_HEADER_BYTES +
      BigInt(Buffer.byteLength(streamId) + Buffer.byteLength(event.type)) +
      BigInt(event.data.length + event.metadata.length);
    return record;
  }

  private commit(records: readonly LogRecord[]): void {
    this.log.push(...records);
    for (const record of records) for (const listener of [...this.listeners]) listener(record);
  }
}

export function matchesFilter(record: LogRecord, filter: AllFilter | null): boolean {
  if (filter === null) return true;
  const subject = filter.on === 'stream' ? record.streamId : record.type;
  if (filter.regex !== '') return new RegExp(filter.regex).test(subject);
  return filter.prefixes.some((prefix) => subject.startsWith(prefix));
}

/** Orders a position against a record's position (commit = prepare = where it starts). */
function compareToRecord(position: AllPosition, record: LogRecord): number {
  if (position.commit !== record.position) return position.commit < record.position ? -1 : 1;
  if (position.prepare !== record.position) return position.prepare < record.position ? -1 : 1;
  return 0;
}

function clamp(count: bigint): number {
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

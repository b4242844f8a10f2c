import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadStreamOptions,
  SubscribeOptions,
} from '../../event-store';
import { AppendSignal, followFeed } from '../../feed-follower';
import { chainEvents, sameContent, type StreamHead } from '../../hash-chain';
import type { ProposedEvent, RecordedEvent } from '../../ledger-event';
import {
  DuplicateEventConflict,
  StoreUnavailable,
  UnstorableEvent,
  WrongExpectedRevision,
} from '../../ledger-errors';
import { migrate } from '../../../sql/migrate';
import type { SqlClient } from '../../../sql/sql-client';
import { LEDGER_MIGRATIONS } from './ledger-schema';
import { decodeSqlPosition, encodeSqlPosition } from './sql-position';
import { StreamHeadCache } from './stream-head-cache';

interface EventRow {
  tx: string;
  pos: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

const SELECT_EVENT = `SELECT tx_id::text AS tx, position::text AS pos, event_id::text AS event_id,
  stream_id, revision::integer AS revision, type, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  prev_hash, hash FROM ledger_events`;

const UNIQUE_VIOLATION = '23505';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
    position: encodeSqlPosition(row.tx, row.pos),
  };
}

function sqlErrorCode(error: unknown): { code?: string; constraint?: string } {
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

/** The ledger on PostgreSQL or the embedded PGlite: the same SQL for both. */
export class SqlEventStore implements EventStore {
  private readonly appended = new AppendSignal();
  /** Rows never change, so a head seen once stays true for its revision: saves a round trip. */
  private readonly heads = new StreamHeadCache(10_000);

  private constructor(
    readonly name: string,
    private readonly sql: SqlClient,
    private readonly pollMs: number,
  ) {}

  static async open(name: string, sql: SqlClient, pollMs = 250): Promise<SqlEventStore> {
    await migrate(sql, 'ledger', LEDGER_MIGRATIONS);
    return new SqlEventStore(name, sql, pollMs);
  }

  async append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ): Promise<AppendResult> {
    events = checkStorable(streamId, events);
    return this.guard(async () => {
      for (;;) {
        const head = this.heads.at(streamId, expected) ?? (await this.head(streamId));
        const actual = head?.revision ?? -1;
        if (!matches(expected, actual)) {
          const stored = await this.alreadyStored(streamId, events);
          if (stored) return stored;
          throw new WrongExpectedRevision(streamId, expected, actual);
        }
        if (events.length === 0) {
          return { streamId, lastRevision: actual, events: [], alreadyStored: false };
        }
        try {
          return await this.insert(streamId, head, events);
        } catch (error) {
          const { code, constraint } = sqlErrorCode(error);
          if (code !== UNIQUE_VIOLATION) throw error;
          if (constraint === 'ledger_events_event_id_key') {
            const stored = await this.alreadyStored(streamId, events);
            if (stored) return stored;
            if (expected !== 'any') throw new DuplicateEventConflict(events[0].eventId);
            // A partly redelivered batch: append only what is not stored yet.
            const remaining = await this.notYetStored(events);
            // Nothing of ours is stored, yet an eventId clashed: it cannot be our batch.
            if (remaining.length === events.length) throw error;
            events = remaining;
            continue;
          }
          // Another writer took the revision first: `any` simply goes round again.
          if (expected !== 'any') {
            const latest = await this.head(streamId);
            throw new WrongExpectedRevision(streamId, expected, latest?.revision ?? -1);
          }
        }
      }
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backward = options.direction === 'backward';
    const from = options.fromRevision ?? (backward ? Number.MAX_SAFE_INTEGER : 0);
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    return this.guard(async () => {
      const rows = await this.sql.query<EventRow>(
        `${SELECT_EVENT} WHERE stream_id = $1 AND revision ${backward ? '<=' : '>='} $2
         ORDER BY revision ${backward ? 'DESC' : 'ASC'} LIMIT $3`,
        [streamId, from, limit],
      );
      const events = rows.map(toRecorded);
      this.heads.remember(events.at(backward ? 0 : -1));
      return events;
    });
  }

  async readAll(after: string | null, limit: number): Promise<RecordedEvent[]> {
    const cursor = after === null ? null : decodeSqlPosition(after);
    return this.guard(async () => {
      const rows = await this.sql.query<EventRow>(
        `${SELECT_EVENT}
         WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
           AND ($1::text IS NULL OR (tx_id, position) > ($1::xid8, $2::bigint))
         ORDER BY tx_id, position LIMIT $3`,
        [cursor?.tx ?? null, cursor?.pos ?? null, limit],
      );
      return rows.map(toRecorded);
    });
  }

  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    return followFeed(
      (after, limit) => this.readAll(after, limit),
      this.appended,
      this.pollMs,
      options,
    );
  }

  async ping(): Promise<void> {
    await this.guard(() => this.sql.query('SELECT 1'));
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  private async head(streamId: string): Promise<StreamHead | null> {
    const [row] = await this.sql.query<{ revision: number; hash: string }>(
      `SELECT revision::integer AS revision, hash FROM ledger_events
       WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1`,
      [streamId],
    );
    return row ?? null;
  }

  /** One statement, so the batch is atomic without an explicit transaction. */
  private async insert(
    streamId: string,
    head: StreamHead | null,
    events: readonly ProposedEvent[],
  ): Promise<AppendResult> {
    const chained = chainEvents(streamId, head, events, new Date().toISOString());
    const data = chained.map((e) => JSON.stringify(e.data));
    const metadata = chained.map((e) => JSON.stringify(e.metadata));
    const rows = await this.sql.query<{ tx: string; pos: string }>(
      `INSERT INTO ledger_events
         (event_id, stream_id, revision, type, data, metadata, recorded_at, prev_hash, hash)
       SELECT e.event_id, $1, e.revision, e.type, e.data::jsonb, e.metadata::jsonb,
              e.recorded_at, e.prev_hash, e.hash
       FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                   $7::timestamptz[], $8::text[], $9::text[])
            WITH ORDINALITY AS e(event_id, revision, type, data, metadata, recorded_at,
                                 prev_hash, hash, ord)
       ORDER BY e.ord
       RETURNING tx_id::text AS tx, position::text AS pos`,
      [
        streamId,
        chained.map((e) => e.eventId),
        chained.map((e) => e.revision),
        chained.map((e) => e.type),
        data,
        metadata,
        chained.map((e) => e.recordedAt),
        chained.map((e) => e.prevHash),
        chained.map((e) => e.hash),
      ],
    );
    this.appended.notify();
    this.heads.remember(chained[chained.length - 1]);
    const positions = rows
      .sort((a, b) => Number(BigInt(a.pos) - BigInt(b.pos)))
      .map((r) => encodeSqlPosition(r.tx, r.pos));
    const recorded = chained.map((e, i) => ({ ...e, position: positions[i] }));
    return {
      streamId,
      lastRevision: recorded[recorded.length - 1].revision,
      events: recorded,
      alreadyStored: false,
    };
  }

  /** Idempotent redelivery: the same eventIds with the same content are already stored. */
  private async alreadyStored(
    streamId: string,
    events: readonly ProposedEvent[],
  ): Promise<AppendResult | null> {
    const rows = await this.sql.query<EventRow>(
      `${SELECT_EVENT} WHERE event_id = ANY($1::uuid[]) ORDER BY revision`,
      [events.map((e) => e.eventId)],
    );
    if (rows.length === 0) return null;
    const stored = new Map(rows.map((row) => [row.event_id, toRecorded(row)]));
    for (const event of events) {
      const match = stored.get(event.eventId);
      if (match && !sameContent(match, event, streamId))
        throw new DuplicateEventConflict(event.eventId);
    }
    if (stored.size < events.length) return null;
    const recorded = events.map((e) => stored.get(e.eventId) as RecordedEvent);
    return {
      streamId,
      lastRevision: Math.max(...recorded.map((e) => e.revision)),
      events: recorded,
      alreadyStored: true,
    };
  }

  private async notYetStored(events: readonly ProposedEvent[]): Promise<ProposedEvent[]> {
    const rows = await this.sql.query<{ event_id: string }>(
      'SELECT event_id::text AS event_id FROM ledger_events WHERE event_id = ANY($1::uuid[])',
      [events.map((e) => e.eventId)],
    );
    const stored = new Set(rows.map((r) => r.event_id));
    return events.filter((e) => !stored.has(e.eventId));
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUnavailable(error)) throw new StoreUnavailable(error);
      throw error;
    }
  }
}

/**
 * Refuses up front what PostgreSQL cannot store as given, so nothing fails half-way and
 * nothing is stored in a form its hash does not cover. The database keeps UUIDs in
 * lowercase, so the hash must cover the lowercase form; a batch naming one eventId twice
 * could never be stored.
 */
function checkStorable(streamId: string, events: readonly ProposedEvent[]): ProposedEvent[] {
  const streamProblem = textProblem(streamId);
  const seen = new Set<string>();
  return events.map((event) => {
    if (!UUID.test(event.eventId))
      throw new UnstorableEvent(event.eventId, 'eventId is not a UUID');
    const eventId = event.eventId.toLowerCase();
    if (seen.has(eventId)) throw new UnstorableEvent(eventId, 'eventId appears twice in the batch');
    seen.add(eventId);
    if (streamProblem) throw new UnstorableEvent(eventId, `streamId ${streamProblem}`);
    const problem =
      textProblem(event.type, 'type') ??
      jsonProblem(event.data, 'data') ??
      jsonProblem(event.metadata, 'metadata');
    if (problem) throw new UnstorableEvent(eventId, problem);
    return eventId === event.eventId ? event : { ...event, eventId };
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * PostgreSQL text and jsonb refuse U+0000; text silently turns a lone UTF-16 surrogate into
 * U+FFFD (the stored row would no longer match its hash) and jsonb refuses it.
 */
function textProblem(text: string, where?: string): string | null {
  const prefix = where ? `${where} ` : '';
  if (text.includes('\u0000')) return `${prefix}contains a NUL (U+0000) character`;
  if (LONE_SURROGATE.test(text)) return `${prefix}contains a lone UTF-16 surrogate`;
  return null;
}

function jsonProblem(value: unknown, where: string): string | null {
  if (typeof value === 'string') return textProblem(value, where);
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = jsonProblem(item, `${where}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const problem = textProblem(key, `${where} key`) ?? jsonProblem(item, `${where}.${key}`);
    if (problem) return problem;
  }
  return null;
}

function matches(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual === -1;
  return expected === actual;
}

import type { StreamHead } from '../../hash-chain';
import type { ChainedEnvelope, RecordedEvent } from '../../ledger-event';
import type { SqlClient } from '../../../sql/sql-client';
import { encodeSqlPosition } from './sql-position';

/** The statements that move events in and out of ledger_events, shared by every append path. */

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

export const SELECT_EVENT = `SELECT tx_id::text AS tx, position::text AS pos,
  event_id::text AS event_id, stream_id, revision::integer AS revision, type, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  prev_hash, hash FROM ledger_events`;

export async function selectEvents(
  sql: SqlClient,
  where: string,
  params: readonly unknown[],
): Promise<RecordedEvent[]> {
  const rows = await sql.query<EventRow>(`${SELECT_EVENT} ${where}`, params);
  return rows.map(toRecorded);
}

/** A stream read from a revision to its end. */
export interface StreamTail {
  readonly streamId: string;
  readonly fromRevision: number;
}

/**
 * Many streams' tails in one statement, one list of events per tail given (in revision order).
 * Tails asked twice (every command reads the freeze calendar) are fetched once.
 */
export async function selectStreamTails(
  sql: SqlClient,
  tails: readonly StreamTail[],
): Promise<RecordedEvent[][]> {
  const keys = tails.map(({ streamId, fromRevision }) => JSON.stringify([streamId, fromRevision]));
  const distinct = [...new Set(keys)];
  const asked = distinct.map((key) => JSON.parse(key) as [string, number]);
  const rows = await sql.query<EventRow & { nth: number }>(
    `SELECT s.nth::integer AS nth, e.*
     FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS s(stream_id, from_revision, nth)
     CROSS JOIN LATERAL (${SELECT_EVENT} WHERE stream_id = s.stream_id
                         AND revision >= s.from_revision ORDER BY revision) e
     ORDER BY s.nth, e.revision`,
    [asked.map(([streamId]) => streamId), asked.map(([, from]) => from)],
  );
  const found = distinct.map((): RecordedEvent[] => []);
  for (const row of rows) found[row.nth - 1].push(toRecorded(row));
  const byKey = new Map(distinct.map((key, i) => [key, found[i]]));
  // Each caller gets a list of its own: callers may keep or extend what they are given.
  return keys.map((key) => [...(byKey.get(key) as RecordedEvent[])]);
}

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

/** Stored events with these (lowercase) ids, by id. */
export async function storedEvents(
  sql: SqlClient,
  eventIds: readonly string[],
): Promise<Map<string, RecordedEvent>> {
  const events = await selectEvents(sql, 'WHERE event_id = ANY($1::uuid[])', [eventIds]);
  return new Map(events.map((event) => [event.eventId, event]));
}

/** Each stream's last event (absent: no stream), one index probe per stream. */
export async function streamHeads(
  sql: SqlClient,
  streamIds: readonly string[],
): Promise<Map<string, StreamHead>> {
  const rows = await sql.query<{ stream_id: string; revision: number; hash: string }>(
    `SELECT s.stream_id, h.revision::integer AS revision, h.hash
     FROM unnest($1::text[]) AS s(stream_id)
     CROSS JOIN LATERAL (SELECT revision, hash FROM ledger_events e
                         WHERE e.stream_id = s.stream_id ORDER BY revision DESC LIMIT 1) h`,
    [streamIds],
  );
  return new Map(rows.map((r) => [r.stream_id, { revision: r.revision, hash: r.hash }]));
}

/**
 * One statement, so everything in it is atomic without an explicit transaction, whatever
 * streams it spans. Rows are inserted in the order given, so within the transaction positions
 * follow that order and the feed carries each stream in revision order. The rows travel as one
 * JSON array: serialized by V8 and parsed once by the server, where nine array parameters
 * cost the driver an escaping pass over every element.
 */
export async function insertEvents(
  sql: SqlClient,
  chained: ReadonlyArray<ChainedEnvelope & { hash: string }>,
): Promise<RecordedEvent[]> {
  const rows = await sql.query<{ event_id: string; tx: string; pos: string }>(
    `INSERT INTO ledger_events
       (event_id, stream_id, revision, type, data, metadata, recorded_at, prev_hash, hash)
     SELECT (r->>0)::uuid, r->>1, (r->>2)::bigint, r->>3, r->4, r->5, (r->>6)::timestamptz,
            r->>7, r->>8
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, ord)
     ORDER BY e.ord
     RETURNING event_id::text AS event_id, tx_id::text AS tx, position::text AS pos`,
    [
      JSON.stringify(
        chained.map((e) => [
          e.eventId,
          e.streamId,
          e.revision,
          e.type,
          e.data,
          e.metadata,
          e.recordedAt,
          e.prevHash,
          e.hash,
        ]),
      ),
    ],
  );
  const positions = new Map(rows.map((r) => [r.event_id, encodeSqlPosition(r.tx, r.pos)]));
  return chained.map((e) => ({ ...e, position: positions.get(e.eventId) as string }));
}

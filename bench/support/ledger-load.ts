import type { EventStore } from '../../src/ledger/event-store';
import type { chainEvents } from '../../src/ledger/hash-chain';
import type { SqlClient } from '../../src/sql/sql-client';

/**
 * Hash-chained rows straight into ledger_events (or a copy of it), in the order given, in one
 * statement: set-up, or a baseline of what the database takes at most.
 */
export async function insertChunk(
  sql: SqlClient,
  rows: ReturnType<typeof chainEvents>,
  table = 'ledger_events',
): Promise<void> {
  await sql.query(
    `INSERT INTO ${table}
       (event_id, stream_id, revision, type, data, metadata, recorded_at, prev_hash, hash)
     SELECT e.event_id, e.stream_id, e.revision, e.type, e.data::jsonb, e.metadata::jsonb,
            e.recorded_at, e.prev_hash, e.hash
     FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                 $7::timestamptz[], $8::text[], $9::text[])
          WITH ORDINALITY AS e(event_id, stream_id, revision, type, data, metadata, recorded_at,
                               prev_hash, hash, ord)
     ORDER BY e.ord`,
    [
      rows.map((r) => r.eventId),
      rows.map((r) => r.streamId),
      rows.map((r) => r.revision),
      rows.map((r) => r.type),
      rows.map((r) => JSON.stringify(r.data)),
      rows.map((r) => JSON.stringify(r.metadata)),
      rows.map((r) => r.recordedAt),
      rows.map((r) => r.prevHash),
      rows.map((r) => r.hash),
    ],
  );
}

/** The baseline: the same feed, page by page, read and dropped. */
export async function readFeed(
  store: EventStore,
  pageSize: number,
): Promise<{ events: number; seconds: number }> {
  const started = process.hrtime.bigint();
  let events = 0;
  for (let after: string | null = null; ;) {
    const page = await store.readAll(after, pageSize);
    if (page.length === 0) break;
    events += page.length;
    after = page[page.length - 1].position;
  }
  return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * Hash-chained appends through the command path (load → decide → append) against a
 * baseline measured in the same run at the same concurrency:
 *   --store postgres (default): raw `pg` INSERTs of the identical rows, one per command's
 *     batch, at the same durability (synchronous_commit on); prints the round trips and the
 *     Node CPU per event of each, where the command path's statements go, and the embedded
 *     store's figure;
 *   --store eventstoredb: bare @eventstore/db-client appends of the identical events
 *     (needs EVENTSTORE_CONNECTION_STRING).
 *
 *   npm run bench:append [-- --store postgres|eventstoredb --changes 1000 --writers 16]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EventStoreDBClient, jsonEvent, NO_STREAM } from '@eventstore/db-client';
import { Pool } from 'pg';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { openEventStoreDbStore } from '../src/ledger/adapters/eventstoredb/open-eventstoredb-store';
import type { EventStore } from '../src/ledger/event-store';
import type { RecordedEvent } from '../src/ledger/ledger-event';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import { PGliteSqlClient } from '../src/sql/pglite-sql-client';
import type { SqlClient } from '../src/sql/sql-client';
import { runConcurrently, withBenchDatabase } from './support/bench-database';
import { fmt, measured, printFigure } from './support/bench-figures';
import { CountingSqlClient } from '../test/support/counting-sql-client';
import { commandPath as runCommandPath } from './support/command-path';

const { values } = parseArgs({
  options: {
    changes: { type: 'string', default: '2000' },
    // Changes driven first, not measured: the command path's code is compiled and warm.
    warmup: { type: 'string', default: '200' },
    writers: { type: 'string', default: '16' },
    store: { type: 'string', default: 'postgres' },
  },
});
const CHANGES = Number(values.changes);
const WRITERS = Number(values.writers);
const WARMUP = Number(values.warmup);

interface Row {
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
}

/**
 * The events of each stream in the batches the commands appended them in: request and
 * assessment, grant and approval, start and deployed, verified, closed.
 */
function commandBatches<E extends { streamId: string; revision: number }>(
  events: readonly E[],
): E[][][] {
  const byStream = new Map<string, E[]>();
  for (const event of events)
    byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
  return [...byStream.values()].map((stream) => {
    const sorted = [...stream].sort((a, b) => a.revision - b.revision);
    return [
      sorted.slice(0, 2),
      sorted.slice(2, 4),
      sorted.slice(4, 6),
      sorted.slice(6, 7),
      sorted.slice(7, 8),
    ].filter((batch) => batch.length > 0);
  });
}

interface Run {
  readonly events: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly statements: number;
}

/** The same rows, one INSERT per command's batch, as the ledger wrote them. */
async function rawInserts(pool: Pool): Promise<Run> {
  const { rows } = await pool.query<Row>(
    `SELECT event_id, stream_id, revision, type, data, metadata, recorded_at, prev_hash, hash
     FROM ledger_events ORDER BY stream_id, revision`,
  );
  await pool.query(`CREATE TABLE baseline_events (LIKE ledger_events INCLUDING ALL)`);
  const batches = commandBatches(rows.map((row) => ({ ...row, streamId: row.stream_id }))).flat();
  const columns = [
    'event_id',
    'stream_id',
    'revision',
    'type',
    'data',
    'metadata',
    'recorded_at',
    'prev_hash',
    'hash',
  ] as const;
  const cpu = process.cpuUsage();
  const seconds = await runConcurrently(batches.length, WRITERS, async (i) => {
    const batch = batches[i];
    const params = batch.flatMap((row: Row) =>
      columns.map((c) => (c === 'data' || c === 'metadata' ? JSON.stringify(row[c]) : row[c])),
    );
    const tuples = batch.map(
      (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
    );
    await pool.query(
      `INSERT INTO baseline_events (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
      params,
    );
  });
  const used = process.cpuUsage(cpu);
  return {
    events: rows.length,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    statements: batches.length,
  };
}

const rate = (r: { events: number; seconds: number }) => r.events / r.seconds;

/** The same events, appended by the bare client to fresh streams, batch by batch. */
async function bareEventStoreDb(
  connectionString: string,
  streams: RecordedEvent[][][],
): Promise<{ events: number; seconds: number }> {
  const client = EventStoreDBClient.connectionString(connectionString);
  const run = randomUUID();
  const seconds = await runConcurrently(streams.length, WRITERS, async (i) => {
    for (const batch of streams[i]) {
      await client.appendToStream(
        `bench-${run}-${batch[0].streamId}`,
        batch.map((e) =>
          jsonEvent({ type: e.type, data: e.data as Record<string, never>, metadata: e.metadata }),
        ),
        { expectedRevision: batch[0].revision === 0 ? NO_STREAM : BigInt(batch[0].revision - 1) },
      );
    }
  });
  await client.dispose();
  return { events: streams.flat(2).length, seconds };
}

async function benchEventStoreDb(): Promise<void> {
  const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
  if (!connectionString) {
    throw new Error(
      '--store eventstoredb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://127.0.0.1:2113?tls=false)',
    );
  }
  const store = await openEventStoreDbStore(connectionString, {
    streamPrefixes: ['change-', 'freezes'],
  });
  // The read models the command path reads live in SQL whatever the store: here a scratch PGlite.
  const dir = mkdtempSync(join(tmpdir(), 'change-ledger-bench-'));
  const sql = await PGliteSqlClient.open(dir);
  const ledger = await commandPath(store, sql);
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
  const written: RecordedEvent[] = [];
  for (let after: string | null = null; ;) {
    const page = await store.readAll(after, 1000);
    if (page.length === 0) break;
    written.push(...page);
    after = page[page.length - 1].position;
  }
  await store.close();
  const baseline = await bareEventStoreDb(connectionString, commandBatches(written));
  report('eventstoredb', ledger, 'bare @eventstore/db-client append', baseline);
}

function report(
  store: string,
  ledger: { events: number; seconds: number },
  baselineName: string,
  baseline: { events: number; seconds: number },
): void {
  console.log(
    `${store}  command path (hash-chained): ${fmt(rate(ledger))} events/s (${ledger.events} events in ${ledger.seconds.toFixed(2)} s)`,
  );
  console.log(
    `${store}  baseline ${baselineName}: ${fmt(rate(baseline))} events/s (${baseline.events} events in ${baseline.seconds.toFixed(2)} s)`,
  );
  console.log(`ratio command path / baseline: ${(rate(ledger) / rate(baseline)).toFixed(2)}`);
}

const commandPath = (store: EventStore, sql: SqlClient) =>
  runCommandPath(store, sql, CHANGES, WRITERS);

/** The command path on PostgreSQL, warmed up first; its statements counted. */
async function ledgerRun(url: string): Promise<Run & { byTable: Map<string, number> }> {
  const sql = new CountingSqlClient(new PgSqlClient({ connectionString: url, max: WRITERS + 4 }));
  const store = await SqlEventStore.open('postgres', sql);
  await runCommandPath(store, sql, WARMUP, WRITERS);
  const before = sql.statements;
  const byTable = new Map(sql.tally.byTable);
  const { result, cpuSeconds } = await measured(() => commandPath(store, sql));
  await store.close();
  for (const [table, count] of sql.tally.byTable) {
    byTable.set(table, count - (byTable.get(table) ?? 0));
  }
  return { ...result, cpuSeconds, statements: sql.statements - before, byTable };
}

async function main(): Promise<void> {
  if (values.store === 'eventstoredb') return benchEventStoreDb();
  if (values.store !== 'postgres') throw new Error('--store must be postgres or eventstoredb');
  console.log(
    `append benchmark: ${CHANGES} changes (streams), ${WRITERS} concurrent writers, 8 events per change`,
  );
  await withBenchDatabase(async (url) => {
    const ledger = await ledgerRun(url);
    const pool = new Pool({ connectionString: url, max: WRITERS + 4 });
    pool.on('error', () => undefined);
    const { synchronous_commit } = (
      await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit')
    ).rows[0];
    const baseline = await rawInserts(pool);
    await pool.end();
    report('postgres', ledger, 'raw pg INSERT of the same rows', baseline);
    const perEvent = (r: Run) =>
      `${(r.statements / r.events).toFixed(3)} round trips, ${fmt((r.cpuSeconds * 1e6) / r.events)} µs Node CPU per event`;
    console.log(`synchronous_commit: ${synchronous_commit}`);
    console.log(`command path: ${perEvent(ledger)}`);
    console.log(`raw INSERT:   ${perEvent(baseline)}`);
    console.log('command path statements per event, by the table they read or write first:');
    for (const [table, count] of [...ledger.byTable].filter(([, n]) => n > 0)) {
      console.log(`  ${(count / ledger.events).toFixed(3)}  ${table}`);
    }
    printFigure({
      figure: `append: command path, ${WRITERS} writers (events/s)`,
      value: rate(ledger),
      unit: 'events/s',
      baseline: { name: 'raw pg INSERT of the same rows', value: rate(baseline) },
      aim: { atLeast: 5000, ratio: 0.7 },
    });
    printFigure({
      figure: 'append: round trips per event',
      value: ledger.statements / ledger.events,
      unit: 'round trips',
      baseline: { name: 'raw pg INSERT', value: baseline.statements / baseline.events },
    });
  });

  const dir = mkdtempSync(join(tmpdir(), 'change-ledger-bench-'));
  try {
    const sql = await PGliteSqlClient.open(dir);
    const embedded = await SqlEventStore.open('embedded', sql);
    const result = await commandPath(embedded, sql);
    await embedded.close();
    console.log(
      `embedded  command path (PGlite, one process): ${fmt(rate(result))} events/s (${result.events} events in ${result.seconds.toFixed(2)} s)`,
    );
    printFigure({
      figure: 'append: command path, embedded PGlite (events/s)',
      value: rate(result),
      unit: 'events/s',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

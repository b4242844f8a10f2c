/**
 * Hash-chained appends through the command path (load → decide → append) against a
 * baseline of raw `pg` INSERTs of the identical rows at the same concurrency.
 *
 *   npm run bench:append [-- --changes 1000 --writers 16]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import type { Principal } from '../src/auth/role';
import { ExecuteChangeCommand } from '../src/changes/application/execute-change-command';
import { ExecuteChangeCommandHandler } from '../src/changes/application/execute-change-command.handler';
import type { ChangeCommand } from '../src/changes/domain/commands';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import type { EventStore } from '../src/ledger/event-store';
import { Metrics } from '../src/observability/metrics';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import { PGliteSqlClient } from '../src/sql/pglite-sql-client';
import { runConcurrently, withBenchDatabase } from './support/bench-database';

const { values } = parseArgs({
  options: {
    changes: { type: 'string', default: '1000' },
    writers: { type: 'string', default: '16' },
  },
});
const CHANGES = Number(values.changes);
const WRITERS = Number(values.writers);

const alice: Principal = { id: 'alice', roles: ['requester'] };
const bob: Principal = { id: 'bob', roles: ['approver'] };
const ci: Principal = { id: 'ci-bot', roles: ['deployer'] };

/** A normal change's life: request, approve, deploy, verify, close — 8 events, 5 commands. */
function lifecycle(changeId: string): ChangeCommand[] {
  const at = () => new Date().toISOString();
  return [
    {
      kind: 'RequestChange',
      changeId,
      actor: alice,
      at: at(),
      request: {
        title: 'Bump checkout pool',
        description: 'benchmark change',
        type: 'normal',
        category: 'software-config',
        services: [`svc-${changeId.slice(0, 2)}`],
        environment: 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
        rollbackPlan: { trigger: 'errors', steps: ['revert'], expectedMinutes: 5 },
      },
    },
    { kind: 'ApproveChange', changeId, actor: bob, at: at() },
    { kind: 'MarkDeployed', changeId, actor: ci, at: at(), version: '1.0.1' },
    { kind: 'VerifyChange', changeId, actor: ci, at: at() },
    { kind: 'CloseChange', changeId, actor: alice, at: at(), outcome: 'successful' },
  ];
}

/** Each writer drives whole changes, so 16 writers touch 16 streams at a time. */
async function commandPath(store: EventStore): Promise<{ events: number; seconds: number }> {
  const handler = new ExecuteChangeCommandHandler(store, new Metrics());
  const origin = { source: 'bench', correlationId: randomUUID() };
  let events = 0;
  const seconds = await runConcurrently(CHANGES, WRITERS, async () => {
    for (const command of lifecycle(randomUUID())) {
      const result = await handler.execute(new ExecuteChangeCommand(command, origin));
      events += result.events.length;
    }
  });
  return { events, seconds };
}

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

/** The same rows, one INSERT per command's batch, as the ledger wrote them. */
async function rawInserts(pool: Pool): Promise<{ events: number; seconds: number }> {
  const { rows } = await pool.query<Row>(
    `SELECT event_id, stream_id, revision, type, data, metadata, recorded_at, prev_hash, hash
     FROM ledger_events ORDER BY stream_id, revision`,
  );
  await pool.query(`CREATE TABLE baseline_events (LIKE ledger_events INCLUDING ALL)`);
  const batches: Row[][] = [];
  for (const row of rows) {
    const last = batches[batches.length - 1];
    // Group rows as the commands wrote them: request+assess, grant+approve, start+deployed, …
    if (
      last &&
      last[0].stream_id === row.stream_id &&
      last.length < 2 &&
      row.revision % 2 === 1 &&
      row.revision < 6
    ) {
      last.push(row);
    } else {
      batches.push([row]);
    }
  }
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
  const seconds = await runConcurrently(batches.length, WRITERS, async (i) => {
    const batch = batches[i];
    const params = batch.flatMap((row) =>
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
  return { events: rows.length, seconds };
}

const rate = (r: { events: number; seconds: number }) => r.events / r.seconds;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  console.log(
    `append benchmark: ${CHANGES} changes (streams), ${WRITERS} concurrent writers, 8 events per change`,
  );
  await withBenchDatabase(async (url) => {
    const sql = new PgSqlClient({ connectionString: url, max: WRITERS + 4 });
    const store = await SqlEventStore.open('postgres', sql);
    const ledger = await commandPath(store);
    await store.close();
    const pool = new Pool({ connectionString: url, max: WRITERS + 4 });
    pool.on('error', () => undefined);
    const baseline = await rawInserts(pool);
    await pool.end();
    console.log(
      `postgres  command path (hash-chained): ${fmt(rate(ledger))} events/s (${ledger.events} events in ${ledger.seconds.toFixed(2)} s)`,
    );
    console.log(
      `postgres  baseline raw pg INSERT:      ${fmt(rate(baseline))} events/s (${baseline.events} rows in ${baseline.seconds.toFixed(2)} s)`,
    );
    console.log(`ratio command path / raw INSERT: ${(rate(ledger) / rate(baseline)).toFixed(2)}`);
  });

  const dir = mkdtempSync(join(tmpdir(), 'change-ledger-bench-'));
  try {
    const embedded = await SqlEventStore.open('embedded', await PGliteSqlClient.open(dir));
    const result = await commandPath(embedded);
    await embedded.close();
    console.log(
      `embedded  command path (PGlite, one process): ${fmt(rate(result))} events/s (${result.events} events in ${result.seconds.toFixed(2)} s)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

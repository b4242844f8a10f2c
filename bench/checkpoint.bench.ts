/**
 * The verifiable ledger's costs, each next to a baseline measured in the same run:
 *  1. tree append: the Merkle tree following the feed, per event, against the command path
 *     that appended those events (load → decide → append);
 *  2. checkpoint latency behind the feed: from an append to a signed checkpoint covering it
 *     (the service's policy, LEDGER_CHECKPOINT_EVENTS / _SECONDS), against the time a bare
 *     feed follower takes to see the event;
 *  3. at --events leaves (1,000,000): the tree's catch-up against reading the feed, then
 *     inclusion and consistency proofs p50/p99 (what the API does: find the leaf, read the
 *     tiles, hash) against an indexed SELECT of one leaf row. The aim: proofs under 10 ms;
 *  4. verify-log --full (the offline verifier, downloading every event over HTTP and
 *     recomputing the tree) against downloading and parsing the same entries.
 *
 * On a throw-away PostgreSQL database (BENCH_DATABASE_URL, as the other benchmarks).
 *
 *   npm run bench:checkpoint [-- --events 1000000 --changes 1000 --writers 16 --samples 2000
 *                              --latency-seconds 20]
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { type AppConfig } from '../src/config/config';
import { loadConfig } from '../src/load-config';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { TransparencyQueries } from '../src/ledger/api/transparency-queries';
import { parseVerifierKey, verifierKey } from '../src/ledger/checkpoints/note-keys';
import { ed25519Signer } from '../src/ledger/checkpoints/note-signatures';
import { CheckpointStore, servedNote } from '../src/ledger/checkpointer/checkpoint-store';
import { Checkpointer } from '../src/ledger/checkpointer/checkpointer';
import type { LedgerKeys } from '../src/ledger/checkpointer/ledger-keys';
import type { EventStore } from '../src/ledger/event-store';
import { chainEvents, type StreamHead } from '../src/ledger/hash-chain';
import type { ProposedEvent } from '../src/ledger/ledger-event';
import { LedgerTree } from '../src/ledger/tree/ledger-tree';
import { ledgerTree } from '../src/ledger/tree/ledger-tree.projection';
import { ProjectionRunner } from '../src/ledger/projection-runner';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import type { SqlClient } from '../src/sql/sql-client';
import { LogService } from '../src/verifier/log-service';
import { verifyLog } from '../src/verifier/verify-log';
import { withBenchDatabase } from './support/bench-database';
import { printFigure, rssDuring } from './support/bench-figures';
import { commandPath } from './support/command-path';
import { insertChunk, readFeed } from './support/ledger-load';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    changes: { type: 'string', default: '1000' },
    writers: { type: 'string', default: '16' },
    samples: { type: 'string', default: '2000' },
    'latency-seconds': { type: 'string', default: '20' },
  },
});
const EVENTS = Number(values.events);
const CHANGES = Number(values.changes);
const WRITERS = Number(values.writers);
const SAMPLES = Number(values.samples);
const LATENCY_SECONDS = Number(values['latency-seconds']);
/** The service's page size for read models and the tree. */
const BATCH = 500;
const ORIGIN = 'bench.example/ledger';
/** The service's policy, from the same environment (LEDGER_CHECKPOINT_EVENTS / _SECONDS). */
const POLICY = loadConfig().transparency;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(2)} ms`;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values: number[]): { p50: number; p99: number } {
  return { p50: percentile(values, 50), p99: percentile(values, 99) };
}

function keys(): LedgerKeys {
  const signer = ed25519Signer(ORIGIN, generateKeyPairSync('ed25519').privateKey);
  return { signer, verifiers: [signer.verifier], source: { file: 'bench', generated: true } };
}

function treeRunner(store: EventStore, sql: SqlClient): ProjectionRunner {
  return new ProjectionRunner(store, sql, ledgerTree, {
    batchSize: BATCH,
    idleMs: 100,
    onFailure: (error) => console.error('ledger-tree', error),
  });
}

function checkpointer(sql: SqlClient, ledgerKeys: LedgerKeys): Checkpointer {
  return new Checkpointer(
    sql,
    new LedgerTree(sql, 0),
    new CheckpointStore(sql),
    ledgerKeys,
    {
      origin: ORIGIN,
      everyEvents: POLICY.checkpointEveryEvents,
      everySeconds: POLICY.checkpointEverySeconds,
    },
    [],
    {
      signed: () => undefined,
      cosigned: () => undefined,
      witnessFailed: () => undefined,
      failed: (error) => console.error('checkpointer', error),
    },
  );
}

/** 1. The tree's cost per event against the command path's, over the same events. */
async function treeAppend(store: EventStore, sql: SqlClient): Promise<void> {
  const appended = await commandPath(store, sql, CHANGES, WRITERS);
  const runner = treeRunner(store, sql);
  await runner.prepare();
  const started = now();
  const leaves = await runner.catchUp();
  const seconds = (now() - started) / 1000;
  const perEvent = (seconds * 1e6) / leaves;
  const appendPerEvent = (appended.seconds * 1e6) / appended.events;
  console.log(
    `1. tree append: ${perEvent.toFixed(1)} µs a leaf (${fmt(leaves / seconds)} leaves/s, ${fmt(leaves)} events)`,
  );
  console.log(
    `   baseline command path (${WRITERS} writers): ${appendPerEvent.toFixed(1)} µs an event (${fmt(appended.events / appended.seconds)} events/s)`,
  );
  console.log(`   ratio tree / command path, per event: ${(perEvent / appendPerEvent).toFixed(3)}`);
  printFigure({
    figure: 'checkpoint: Merkle tree following the feed (leaves/s)',
    value: leaves / seconds,
    unit: 'leaves/s',
    baseline: {
      name: `command path appending them, ${WRITERS} writers`,
      value: appended.events / appended.seconds,
    },
  });
}

/** 2. Append → signed checkpoint covering it, against append → seen by a feed follower. */
async function checkpointLatency(store: EventStore, sql: SqlClient): Promise<void> {
  const ledgerKeys = keys();
  const runner = treeRunner(store, sql);
  await runner.start();
  const signing = checkpointer(sql, ledgerKeys);
  await new CheckpointStore(sql).prepare();
  signing.start();
  const appendedAt = new Map<string, number>();
  const seenAt: number[] = [];
  const covered: number[] = [];
  const stop = new AbortController();
  // The baseline: a follower of the feed, as the outbox or a read model follows it.
  const follower = (async () => {
    const last = (await store.readAll(null, 1_000_000)).at(-1)?.position ?? null;
    for await (const event of store.subscribe({ after: last, signal: stop.signal })) {
      const at = appendedAt.get(event.eventId);
      if (at !== undefined) seenAt.push(now() - at);
    }
  })();
  // One event every 20 ms on a few streams; the k-th is leaf `base + k`.
  const tree = new LedgerTree(sql);
  await sleep(500);
  const base = await tree.size();
  const order: number[] = [];
  const until = now() + LATENCY_SECONDS * 1000;
  const writer = (async () => {
    for (let i = 0; now() < until; i++) {
      const [event] = proposed(1);
      await store.append(`change-latency-${i % 8}`, 'any', [event]);
      appendedAt.set(event.eventId, now());
      order.push(now());
      await sleep(20);
    }
  })();
  const checkpoints = new CheckpointStore(sql);
  let reported = base;
  while (now() < until + (POLICY.checkpointEverySeconds + 2) * 1000) {
    const latest = await checkpoints.latest();
    const size = latest?.treeSize ?? 0;
    for (; reported < size && reported - base < order.length; reported++) {
      covered.push(now() - order[reported - base]);
    }
    await sleep(20);
  }
  await writer;
  stop.abort();
  await follower;
  await signing.stop();
  await runner.stop();
  const signedLatency = summary(covered);
  const feedLatency = summary(seenAt);
  console.log(
    `2. checkpoint latency behind the feed (LEDGER_CHECKPOINT_EVENTS=${POLICY.checkpointEveryEvents}, LEDGER_CHECKPOINT_SECONDS=${POLICY.checkpointEverySeconds}, ${fmt(order.length)} events at 50/s):`,
  );
  console.log(
    `   append → in a signed checkpoint: p50 ${ms(signedLatency.p50)}, p99 ${ms(signedLatency.p99)} (${covered.length} events)`,
  );
  console.log(
    `   baseline append → seen by a feed follower: p50 ${ms(feedLatency.p50)}, p99 ${ms(feedLatency.p99)}`,
  );
  console.log(
    `   ratio: p50 ${(signedLatency.p50 / feedLatency.p50).toFixed(1)}×, p99 ${(signedLatency.p99 / feedLatency.p99).toFixed(1)}×`,
  );
  printFigure({
    figure: 'checkpoint: append → signed checkpoint, p99 (ms)',
    value: signedLatency.p99,
    unit: 'ms',
    baseline: { name: 'append → seen by a feed follower', value: feedLatency.p99 },
  });
}

function proposed(count: number): ProposedEvent[] {
  return Array.from({ length: count }, () => ({
    eventId: randomUUID(),
    type: 'DeploymentObserved',
    data: { service: 'checkout', environment: 'production', version: '1.4.0', phase: 'succeeded' },
    metadata: {
      actor: 'ci-bot',
      source: 'bench',
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  }));
}

/** `total` hash-chained events over 10,000 streams, loaded straight into the table. */
async function load(sql: SqlClient, total: number): Promise<void> {
  const heads = new Map<string, StreamHead>();
  const at = new Date().toISOString();
  for (let done = 0; done < total;) {
    const chunk: ReturnType<typeof chainEvents> = [];
    for (; chunk.length < 5000 && done < total; done++) {
      const streamId = `service-load-${done % 10_000}`;
      const [event] = chainEvents(streamId, heads.get(streamId) ?? null, proposed(1), at);
      heads.set(streamId, { revision: event.revision, hash: event.hash });
      chunk.push(event);
    }
    await insertChunk(sql, chunk);
  }
  await sql.exec('ANALYZE ledger_events');
}

/** The service's queries over the tree (the API's code path), with or without its caches. */
function queriesOf(
  store: EventStore,
  sql: SqlClient,
  tree: LedgerTree,
  ledgerKeys: LedgerKeys,
): TransparencyQueries {
  const config = { transparency: { origin: ORIGIN, witnesses: [] } } as unknown as AppConfig;
  return new TransparencyQueries(tree, new CheckpointStore(sql), ledgerKeys, store, config);
}

/** 3. The tree at scale, signed, and what proofs cost there. */
async function atScale(
  store: EventStore,
  sql: SqlClient,
  ledgerKeys: LedgerKeys,
): Promise<TransparencyQueries> {
  const baseline = await readFeed(store, BATCH);
  const runner = treeRunner(store, sql);
  await runner.prepare();
  const started = now();
  const leaves = await runner.catchUp();
  const seconds = (now() - started) / 1000;
  const rate = leaves / seconds;
  const feedRate = baseline.events / baseline.seconds;
  printFigure({
    figure: `checkpoint: tree catch-up over ${fmt(leaves)} events (leaves/s)`,
    value: rate,
    unit: 'leaves/s',
    baseline: { name: 'readAll pages', value: feedRate },
  });
  console.log(
    `3. tree catch-up over ${fmt(leaves)} events: ${fmt(rate)} leaves/s (${seconds.toFixed(1)} s); ` +
      `baseline readAll pages ${fmt(feedRate)} events/s; ratio ${(rate / feedRate).toFixed(3)}`,
  );
  await new CheckpointStore(sql).prepare();
  const signed = await checkpointer(sql, ledgerKeys).checkpointIfDue();
  const size = signed?.treeSize ?? 0;
  const rows = await sql.query<{ event_id: string }>(
    'SELECT event_id::text AS event_id FROM ledger_tree_leaves WHERE leaf_index = ANY($1::bigint[])',
    [Array.from({ length: SAMPLES }, () => Math.floor(Math.random() * size))],
  );
  const eventIds = rows.map((r) => r.event_id);
  const time = async (work: () => Promise<unknown>) => {
    const start = now();
    await work();
    return now() - start;
  };
  const sample = async (work: (id: string) => Promise<unknown>) => {
    const latencies: number[] = [];
    for (const id of eventIds) latencies.push(await time(() => work(id)));
    return summary(latencies);
  };
  const base = await sample((id) =>
    sql.query('SELECT leaf_index FROM ledger_tree_leaves WHERE event_id = $1', [id]),
  );
  const cold = queriesOf(store, sql, new LedgerTree(sql, 0), ledgerKeys);
  const warm = queriesOf(store, sql, new LedgerTree(sql), ledgerKeys);
  const uncached = await sample((id) => cold.inclusionProof(id));
  const cached = await sample((id) => warm.inclusionProof(id));
  const consistency = await sample(() =>
    warm.consistencyProof(1 + Math.floor(Math.random() * (size - 1))),
  );
  const aim = (p99: number) => (p99 < 10 ? 'under 10 ms: met' : 'under 10 ms: NOT met');
  const line = (name: string, { p50, p99 }: { p50: number; p99: number }) =>
    console.log(`   ${name}: p50 ${ms(p50)}, p99 ${ms(p99)} (${aim(p99)})`);
  console.log(
    `   proofs as GET /ledger/proofs/* computes them (without HTTP), tree of ${fmt(size)} leaves, ${fmt(eventIds.length)} random leaves, against the latest checkpoint:`,
  );
  line('inclusion, every tile read from the database', uncached);
  line('inclusion, full tiles cached as the service caches them', cached);
  line('consistency (random old size)', consistency);
  for (const [name, figure] of [
    ['inclusion proof, tiles cached', cached],
    ['consistency proof', consistency],
  ] as const) {
    printFigure({
      figure: `checkpoint: ${name}, p99 (ms)`,
      value: figure.p99,
      unit: 'ms',
      baseline: { name: 'indexed SELECT of one leaf row', value: base.p99 },
      aim: { atMost: 10 },
    });
  }
  console.log(
    `   baseline indexed SELECT of one leaf row: p50 ${ms(base.p50)}, p99 ${ms(base.p99)}`,
  );
  console.log(
    `   ratio inclusion (cached) / baseline: p50 ${(cached.p50 / base.p50).toFixed(1)}×, p99 ${(cached.p99 / base.p99).toFixed(1)}×`,
  );
  return warm;
}

/** The three routes verify-log uses, served by the service's own queries over node:http. */
async function serve(queries: TransparencyQueries): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const answer = async () => {
      if (url.pathname === '/ledger/checkpoint') {
        response.end(servedNote(await queries.latestCheckpoint()));
      } else if (url.pathname === '/ledger/proofs/consistency') {
        const proof = await queries.consistencyProof(
          Number(url.searchParams.get('from')),
          Number(url.searchParams.get('to')),
        );
        response.setHeader('content-type', 'application/json').end(JSON.stringify(proof));
      } else if (url.pathname === '/ledger/entries') {
        const lines = await queries.entries(
          Number(url.searchParams.get('start')),
          Number(url.searchParams.get('end')),
        );
        Readable.from(lines).pipe(response);
      } else {
        response.writeHead(404).end();
      }
    };
    answer().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** 4. The offline verifier's --full pass, against only downloading what it checks. */
async function verifyLogThroughput(
  queries: TransparencyQueries,
  ledgerKeys: LedgerKeys,
): Promise<void> {
  const signed = await queries.latestCheckpoint();
  const server = await serve(queries);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const service = new LogService(url, null);
  try {
    let started = now();
    let downloaded = 0;
    for await (const entry of service.entries(0, signed.treeSize)) if (entry.event) downloaded += 1;
    const download = (now() - started) / 1000;
    const trusted = {
      log: [parseVerifierKey(verifierKey(ledgerKeys.signer.verifier))],
      witnesses: [],
    };
    started = now();
    const {
      result: { report },
      beforeMb,
      peakMb,
    } = await rssDuring(() => verifyLog(servedNote(signed), service, trusted, true));
    const verify = (now() - started) / 1000;
    console.log(
      `4. verify-log --full over ${fmt(signed.treeSize)} events: ${fmt(signed.treeSize / verify)} events/s (${verify.toFixed(1)} s; ${report.at(-1)})`,
    );
    console.log(
      `   baseline downloading and parsing the same entries: ${fmt(downloaded / download)} events/s (${download.toFixed(1)} s)`,
    );
    console.log(
      `   ratio verify / download: ${(signed.treeSize / verify / (downloaded / download)).toFixed(2)}`,
    );
    printFigure({
      figure: `verify-log --full, whole log of ${fmt(signed.treeSize)} events (events/s)`,
      value: signed.treeSize / verify,
      unit: 'events/s',
      baseline: { name: 'downloading and parsing the same entries', value: downloaded / download },
      aim: { atLeast: 100_000 },
    });
    console.log(
      `   RSS while verifying: ${fmt(beforeMb)} MB before, ${fmt(peakMb)} MB at most (server and verifier in one process)`,
    );
    printFigure({
      figure: 'verify-log --full: RSS growth while verifying (MB)',
      value: peakMb - beforeMb,
      unit: 'MB',
    });
  } finally {
    server.close();
  }
}

async function main(): Promise<void> {
  console.log(
    `checkpoint benchmark: ${fmt(EVENTS)} events for the proofs, ${CHANGES} changes × 8 events by ${WRITERS} writers for the tree append, ${SAMPLES} proof samples`,
  );
  await withBenchDatabase(async (url) => {
    const sql = new PgSqlClient({ connectionString: url, max: WRITERS + 8 });
    const store = await SqlEventStore.open('postgres', sql);
    try {
      await treeAppend(store, sql);
      await checkpointLatency(store, sql);
    } finally {
      await store.close();
    }
  });
  await withBenchDatabase(async (url) => {
    const sql = new PgSqlClient({ connectionString: url, max: 8 });
    const store = await SqlEventStore.open('postgres', sql);
    try {
      const loading = now();
      await load(sql, EVENTS);
      console.log(
        `set-up: ${fmt(EVENTS)} hash-chained events generated and loaded in ${((now() - loading) / 1000).toFixed(1)} s`,
      );
      const ledgerKeys = keys();
      await verifyLogThroughput(await atScale(store, sql, ledgerKeys), ledgerKeys);
    } finally {
      await store.close();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

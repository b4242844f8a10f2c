/**
 * Kafka ingest into the ledger (normalize → record → commit, PostgreSQL) against the honest
 * limit, measured in the same run: the very rows ingest wrote (pre-computed: hashed, chained,
 * serialized) written again by bulk INSERTs of a Kafka batch's worth each, as many at once as
 * partitions are consumed concurrently, into a copy of the ledger's table (same indexes, same
 * durability). Prints Node CPU per message and the peak RSS over the run.
 *
 *   npm run bench:ingest [-- --messages 100000 --partitions 6 --concurrency 3 --services 2000]
 *
 * Needs the broker of `bash scripts/kafka.sh start` (or KAFKA_BROKERS) and PostgreSQL
 * (BENCH_DATABASE_URL, as bench:append).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners, type Message } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { KafkaIngestConsumer } from '../src/ingest/kafka/ingest-consumer';
import { IngestMetrics } from '../src/ingest/kafka/ingest-metrics';
import type {
  IngestItem,
  IngestOutcome,
  ObservationRecorder,
} from '../src/ingest/recording/ingest-item';
import { IngestLedger } from '../src/ingest/recording/ingest-ledger';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import { changeCommandHandler } from '../test/support/command-path';
import { runConcurrently, withBenchDatabase } from './support/bench-database';
import { cpuProfiler, printFigure, rssDuring } from './support/bench-figures';
import { insertChunk } from './support/ledger-load';
import { CountingSqlClient } from '../test/support/counting-sql-client';
import type { chainEvents } from '../src/ledger/hash-chain';
import type { SqlClient } from '../src/sql/sql-client';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    partitions: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '3' },
    services: { type: 'string', default: '2000' },
    // Write a CPU profile of the ingest span (from the first batch to the last message) here.
    'cpu-profile': { type: 'string' },
  },
});
const MESSAGES = Number(values.messages);
const PARTITIONS = Number(values.partitions);
const CONCURRENCY = Number(values.concurrency);
const SERVICES = Number(values.services);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const RUN = `${Date.now()}-${process.pid}`;

const kafka = new Kafka({ clientId: 'bench-ingest', brokers: BROKERS, logLevel: logLevel.ERROR });

/** 40 % generic deploys, 30 % generic alerts, 30 % Alertmanager notifications (one alert). */
function message(index: number): Message {
  const service = `svc-${index % SERVICES}`;
  const at = new Date(Date.UTC(2024, 4, 14) + index * 1000).toISOString();
  const id = `${RUN}-${index}`;
  let body: unknown;
  switch (index % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      body = {
        kind: 'deployment',
        id,
        occurredAt: at,
        phase: 'succeeded',
        service,
        environment: 'production',
        version: `1.${index}.0`,
        commit: id
          .replace(/[^0-9]/g, '')
          .padEnd(40, '0')
          .slice(0, 40),
      };
      break;
    case 4:
    case 5:
    case 6:
      body = {
        kind: 'alert',
        id,
        occurredAt: at,
        status: 'firing',
        alertId: `alert-${id}`,
        name: 'HighErrorRate',
        service,
        severity: 'critical',
        startsAt: at,
      };
      break;
    default:
      body = {
        version: '4',
        status: 'firing',
        receiver: 'change-ledger',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'HighLatency', service, env: 'production', severity: 'warning' },
            annotations: { summary: 'p99 above 800 ms' },
            startsAt: at,
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: id,
          },
        ],
      };
  }
  const format = index % 10 >= 7 ? 'alertmanager' : 'generic';
  return { key: service, value: JSON.stringify(body), headers: { format } };
}

/** One topic per format, as in production; the messages split between them. */
async function produceTopics(generic: string, alertmanager: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [generic, alertmanager].map((topic) => ({
      topic,
      numPartitions: PARTITIONS,
      replicationFactor: 1,
    })),
  });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let start = 0; start < MESSAGES; start += 2000) {
    const batch = Array.from({ length: Math.min(2000, MESSAGES - start) }, (_, i) =>
      message(start + i),
    );
    const byTopic = (format: string) =>
      batch.filter((m) => (m.headers as Record<string, string>).format === format);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        { topic: generic, messages: byTopic('generic') },
        { topic: alertmanager, messages: byTopic('alertmanager') },
      ],
    });
  }
  await producer.disconnect();
}

/** Rows per bulk INSERT of the baseline: what kafkajs hands over in one batch, about. */
const BULK_ROWS = 500;

/**
 * The rows ingest wrote, read back pre-computed, then written again by bulk INSERTs into a
 * copy of the table: what the database takes at most for the same events.
 */
async function bulkInsertBaseline(sql: SqlClient): Promise<number> {
  const rows = await sql.query<{
    eventId: string;
    streamId: string;
    revision: number;
    type: string;
    data: Record<string, unknown>;
    metadata: ReturnType<typeof chainEvents>[number]['metadata'];
    recordedAt: string;
    prevHash: string;
    hash: string;
  }>(
    `SELECT event_id::text AS "eventId", stream_id AS "streamId", revision::integer AS revision,
            type, data, metadata, recorded_at::text AS "recordedAt", prev_hash AS "prevHash", hash
     FROM ledger_events ORDER BY tx_id, position`,
  );
  await sql.query('CREATE TABLE baseline_events (LIKE ledger_events INCLUDING ALL)');
  const chunks = Array.from({ length: Math.ceil(rows.length / BULK_ROWS) }, (_, i) =>
    rows.slice(i * BULK_ROWS, (i + 1) * BULK_ROWS),
  );
  return runConcurrently(chunks.length, CONCURRENCY, (i) =>
    insertChunk(sql, chunks[i], 'baseline_events'),
  );
}

async function intoTheLedger(
  topics: { generic: string; alertmanager: string },
  databaseUrl: string,
): Promise<{
  rate: number;
  events: number;
  deadLettered: number;
  cpuMicros: number;
  baselineRate: number;
  statements: number;
  rss: { beforeMb: number; peakMb: number };
}> {
  const sql = new CountingSqlClient(new PgSqlClient({ connectionString: databaseUrl, max: 20 }));
  const store = await SqlEventStore.open('postgres', sql);
  // ---- seam: the recorder under test, as the application builds it --------------------
  // The deploy matcher and the command path read the read models: their tables exist, empty.
  const ledger: ObservationRecorder = new IngestLedger(
    store,
    sql,
    await changeCommandHandler(store, sql),
    { ingestMaxFutureSkewSeconds: 300 },
  );
  // ---------------------------------------------------------------------------------------
  let first = 0n;
  // Set by the first batch, inside the recorder: a holder, so the compiler sees it may be.
  const profiling: { profiler?: ReturnType<typeof cpuProfiler> } = {};
  let statementsAtFirst = 0;
  let tablesAtFirst = new Map<string, number>();
  let cpuAtFirst: NodeJS.CpuUsage | null = null;
  let events = 0;
  const timed: ObservationRecorder = {
    record: async (items: readonly IngestItem[]): Promise<IngestOutcome> => {
      if (first === 0n) {
        profiling.profiler = cpuProfiler(values['cpu-profile']);
        first = process.hrtime.bigint();
        cpuAtFirst = process.cpuUsage();
        statementsAtFirst = sql.statements;
        tablesAtFirst = new Map(sql.tally.byTable);
      }
      const outcome = await ledger.record(items);
      events += outcome.recorded;
      return outcome;
    },
  };
  const registry = new Registry();
  const metrics = new IngestMetrics(registry);
  const consumer = new KafkaIngestConsumer({
    kafka,
    config: {
      groupId: `bench-ledger-${RUN}`,
      ingestTopics: [
        { topic: topics.generic, format: 'generic' },
        { topic: topics.alertmanager, format: 'alertmanager' },
      ],
      dlqTopic: `bench.dlq.${RUN}`,
      ingestConcurrency: CONCURRENCY,
      ingestPrincipal: 'kafka-ingest',
    },
    recorder: timed,
    logger: pino({ level: 'error' }),
    metrics,
  });
  const done = async () => {
    const counted = (await metrics.messages.get()).values;
    return {
      total: counted.reduce((sum, { value }) => sum + value, 0),
      deadLettered: counted
        .filter(({ labels }) => labels.outcome === 'dead_lettered')
        .reduce((sum, { value }) => sum + value, 0),
    };
  };
  const {
    result: progress,
    beforeMb,
    peakMb,
  } = await rssDuring(async () => {
    await consumer.start();
    let counted = await done();
    while (counted.total < MESSAGES) {
      await sleep(100);
      counted = await done();
    }
    return counted;
  });
  const last = process.hrtime.bigint();
  // This process's CPU over the same span: steadier than the rate on a shared machine.
  const cpu = process.cpuUsage(cpuAtFirst ?? undefined);
  await (await profiling.profiler)?.stop();
  const statements = sql.statements - statementsAtFirst;
  console.log('statements per message, by the table they read or write first:');
  for (const [table, count] of sql.tally.byTable) {
    const used = count - (tablesAtFirst.get(table) ?? 0);
    if (used > 0) console.log(`  ${(used / MESSAGES).toFixed(3)}  ${table}`);
  }
  await consumer.stop();
  const baselineSeconds = await bulkInsertBaseline(sql);
  await store.close();
  return {
    rate: MESSAGES / (Number(last - first) / 1e9),
    events,
    deadLettered: progress.deadLettered,
    cpuMicros: cpu.user + cpu.system,
    baselineRate: MESSAGES / baselineSeconds,
    statements,
    rss: { beforeMb, peakMb },
  };
}

async function main(): Promise<void> {
  const topics = {
    generic: `bench.ingest.generic.${RUN}`,
    alertmanager: `bench.ingest.alertmanager.${RUN}`,
  };
  console.log(
    `producing ${MESSAGES} messages (${PARTITIONS} partitions per topic, ${SERVICES} services)…`,
  );
  const produced = process.hrtime.bigint();
  await produceTopics(topics.generic, topics.alertmanager);
  console.log(`  produced in ${(Number(process.hrtime.bigint() - produced) / 1e9).toFixed(1)} s`);

  const ledger = await withBenchDatabase((url) => intoTheLedger(topics, url));

  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  await admin.deleteTopics({
    topics: [topics.generic, topics.alertmanager, `bench.dlq.${RUN}`].filter((topic) =>
      existing.has(topic),
    ),
  });
  await admin.disconnect();

  const cpuPerMessage = ledger.cpuMicros / MESSAGES;
  const baseline = ledger.baselineRate;
  console.log(`partitions processed concurrently: ${CONCURRENCY}`);
  console.log(
    `baseline: the same rows bulk-INSERTed, ${BULK_ROWS} a statement, ${CONCURRENCY} at once: ` +
      `${baseline.toFixed(0)} messages/s`,
  );
  console.log(
    `into the ledger:                  ${ledger.rate.toFixed(0)} messages/s ` +
      `(${ledger.events} events appended, ${ledger.deadLettered} dead-lettered)`,
  );
  console.log(`ratio ledger / baseline:          ${(ledger.rate / baseline).toFixed(3)}`);
  console.log(
    `round trips per message:          ${(ledger.statements / MESSAGES).toFixed(3)} ` +
      `(baseline ${(1 / BULK_ROWS).toFixed(3)} a row)`,
  );
  console.log(
    `ingest process CPU per message:   ${cpuPerMessage.toFixed(1)} µs ` +
      `(normalize, record, Kafka client; the database's own CPU not included)`,
  );
  console.log(
    `RSS over the ingest:              ${ledger.rss.beforeMb.toFixed(0)} MB before, ` +
      `${ledger.rss.peakMb.toFixed(0)} MB at most (the process also holds ts-node's compiler)`,
  );
  printFigure({
    figure: `ingest: Kafka into the ledger, ${fmtCount(MESSAGES)} messages (messages/s)`,
    value: ledger.rate,
    unit: 'messages/s',
    baseline: { name: 'bulk INSERT of the same pre-computed rows', value: baseline },
    aim: { atLeast: 20_000, ratio: 0.5 },
  });
  printFigure({
    figure: 'ingest: Node CPU per message (µs)',
    value: cpuPerMessage,
    unit: 'µs',
    aim: { atMost: 50 },
  });
  printFigure({
    figure: 'ingest: peak RSS while ingesting (MB)',
    value: ledger.rss.peakMb,
    unit: 'MB',
    aim: { atMost: 300 },
  });
}

const fmtCount = (n: number) => n.toLocaleString('en-US');

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

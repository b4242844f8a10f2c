/**
 * Kafka ingest into the ledger (normalize → record → commit, PostgreSQL) against a baseline
 * of a bare kafkajs consumer group reading the same topic and doing nothing, in the same run.
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
import { withBenchDatabase } from './support/bench-database';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    partitions: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '3' },
    services: { type: 'string', default: '2000' },
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

/** Messages per second from the first batch to the last message, group join excluded. */
async function bareConsumer(topics: string[]): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-baseline-${RUN}` });
  let seen = 0;
  let first = 0n;
  let last = 0n;
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: CONCURRENCY,
    eachBatch: ({ batch }) => {
      if (first === 0n) first = process.hrtime.bigint();
      seen += batch.messages.length;
      if (seen >= MESSAGES) last = process.hrtime.bigint();
      return Promise.resolve();
    },
  });
  while (last === 0n) await sleep(20);
  await consumer.disconnect();
  return MESSAGES / (Number(last - first) / 1e9);
}

async function intoTheLedger(
  topics: { generic: string; alertmanager: string },
  databaseUrl: string,
): Promise<{ rate: number; events: number; deadLettered: number; cpuMicros: number }> {
  const sql = new PgSqlClient({ connectionString: databaseUrl, max: 20 });
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
  let cpuAtFirst: NodeJS.CpuUsage | null = null;
  let events = 0;
  const timed: ObservationRecorder = {
    record: async (items: readonly IngestItem[]): Promise<IngestOutcome> => {
      if (first === 0n) {
        first = process.hrtime.bigint();
        cpuAtFirst = process.cpuUsage();
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
  await consumer.start();
  const done = async () => {
    const counted = (await metrics.messages.get()).values;
    return {
      total: counted.reduce((sum, { value }) => sum + value, 0),
      deadLettered: counted
        .filter(({ labels }) => labels.outcome === 'dead_lettered')
        .reduce((sum, { value }) => sum + value, 0),
    };
  };
  let progress = await done();
  while (progress.total < MESSAGES) {
    await sleep(100);
    progress = await done();
  }
  const last = process.hrtime.bigint();
  // This process's CPU over the same span: steadier than the rate on a shared machine.
  const cpu = process.cpuUsage(cpuAtFirst ?? undefined);
  await consumer.stop();
  await store.close();
  return {
    rate: MESSAGES / (Number(last - first) / 1e9),
    events,
    deadLettered: progress.deadLettered,
    cpuMicros: cpu.user + cpu.system,
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

  const baseline = await bareConsumer([topics.generic, topics.alertmanager]);
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

  console.log(`partitions processed concurrently: ${CONCURRENCY}`);
  console.log(`bare kafkajs consumer (baseline): ${baseline.toFixed(0)} messages/s`);
  console.log(
    `into the ledger:                  ${ledger.rate.toFixed(0)} messages/s ` +
      `(${ledger.events} events appended, ${ledger.deadLettered} dead-lettered)`,
  );
  console.log(`ratio ledger / baseline:          ${(ledger.rate / baseline).toFixed(3)}`);
  console.log(
    `ingest process CPU per message:   ${(ledger.cpuMicros / MESSAGES).toFixed(1)} µs ` +
      `(normalize, record, Kafka client; the database's own CPU not included)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

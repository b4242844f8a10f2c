import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { KafkaIngestConsumer } from '../../src/ingest/kafka/ingest-consumer';
import { IngestMetrics } from '../../src/ingest/kafka/ingest-metrics';
import type { IngestItem } from '../../src/ingest/recording/ingest-item';
import type { AppendReport } from './support/consumer-process';
import { deploymentMessages } from './support/generic-messages';
import {
  committedOffsets,
  createTopics,
  produce,
  testKafka,
  uniqueName,
  waitFor,
} from './support/kafka-test-kit';
import { MemoryRecorder } from './support/memory-recorder';

const kafka = testKafka();

function offsetOf(item: IngestItem): { partition: number; offset: number } {
  const [, partition, offset] = item.origin.correlationId.split('/');
  return { partition: Number(partition), offset: Number(offset) };
}

describe('a consumer killed in the middle of a batch', () => {
  let restarted: KafkaIngestConsumer | undefined;

  afterAll(async () => {
    await restarted?.stop();
  });

  it('has every message delivered again from the last committed offset, and none lost', async () => {
    const topic = uniqueName('deployments');
    const dlqTopic = uniqueName('dlq');
    const groupId = uniqueName('ingest');
    await createTopics(kafka, [topic, dlqTopic]);
    await produce(kafka, topic, deploymentMessages(90));

    // The ledger, shared by both consumers, as the real one is: idempotent per sourceId.
    const ledger = new MemoryRecorder();
    const child = fork(join(__dirname, 'support/consumer-process.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: {
        ...process.env,
        TOPIC: topic,
        DLQ_TOPIC: dlqTopic,
        GROUP_ID: groupId,
        MAX_RECORD_BATCH: '5',
        HANG_ON_CALL: '4',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const reports: AppendReport[] = [];
    child.on('message', (report: AppendReport) => {
      reports.push(report);
      void ledger.record(report.items);
    });
    await waitFor(() => reports.length === 4, 60_000, 'the first consumer to append 4 times');
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;

    // Three appends were committed; the fourth was recorded, then the process died.
    const hanging = reports[3].items.map(offsetOf);
    const partition = hanging[0].partition;
    expect(hanging.map(({ offset }) => offset)).toEqual([15, 16, 17, 18, 19]);
    const atKill = await committedOffsets(kafka, groupId, topic);
    expect(atKill[partition]).toBe(15);
    expect(atKill.filter((_, index) => index !== partition)).toEqual([-1, -1]);

    const before = ledger.deliveries.length;
    restarted = new KafkaIngestConsumer({
      kafka,
      config: {
        groupId,
        ingestTopics: [{ topic, format: 'generic' }],
        dlqTopic,
        ingestConcurrency: 3,
        ingestPrincipal: 'kafka-ingest',
      },
      recorder: ledger,
      logger: pino({ level: 'silent' }),
      metrics: new IngestMetrics(new Registry()),
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 1000,
    });
    await restarted.start();
    // The dead member holds its partitions until its session expires; then they come back.
    await waitFor(() => ledger.recorded.size === 90, 60_000, 'every message recorded');
    await waitFor(
      async () => String(await committedOffsets(kafka, groupId, topic)) === '30,30,30',
      30_000,
      'offsets committed to the end',
    );

    const redelivered: number[][] = [[], [], []];
    for (const item of ledger.deliveries.slice(before)) {
      const { partition: at, offset } = offsetOf(item);
      redelivered[at].push(offset);
    }
    const from = (start: number) => Array.from({ length: 30 - start }, (_, index) => start + index);
    // Each partition again from its committed offset, in order: the killed append included.
    expect(redelivered).toEqual(atKill.map((committed) => from(Math.max(committed, 0))));
    expect(ledger.deliveries.length - ledger.recorded.size).toBe(5);
  });
});

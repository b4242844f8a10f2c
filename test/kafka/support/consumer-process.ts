/**
 * An ingest consumer in a process of its own, so a test can kill it with SIGKILL: no
 * disconnect, no commit, no leaving the group. Every append it is asked for is reported to
 * the parent over IPC before it completes; the append numbered HANG_ON_CALL never completes,
 * which parks the consumer in the middle of a batch with work done but not committed.
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import { KafkaIngestConsumer } from '../../../src/ingest/kafka/ingest-consumer';
import { IngestMetrics } from '../../../src/ingest/kafka/ingest-metrics';
import type { IngestItem } from '../../../src/ingest/recording/ingest-item';
import { testKafka } from './kafka-test-kit';

export interface AppendReport {
  readonly call: number;
  readonly items: readonly IngestItem[];
}

const { TOPIC, DLQ_TOPIC, GROUP_ID, HANG_ON_CALL, MAX_RECORD_BATCH } = process.env as Record<
  string,
  string
>;
let calls = 0;

const consumer = new KafkaIngestConsumer({
  kafka: testKafka('consumer-process'),
  config: {
    groupId: GROUP_ID,
    ingestTopics: [{ topic: TOPIC, format: 'generic' }],
    dlqTopic: DLQ_TOPIC,
    ingestConcurrency: 1,
    ingestPrincipal: 'kafka-ingest',
  },
  recorder: {
    record: async (items: readonly IngestItem[]) => {
      const call = ++calls;
      const report: AppendReport = { call, items };
      await new Promise<void>((resolve) => process.send?.(report, () => resolve()));
      if (call === Number(HANG_ON_CALL)) await new Promise(() => undefined);
      return { recorded: items.length, alreadyRecorded: 0 };
    },
  },
  logger: pino({ level: 'silent' }),
  metrics: new IngestMetrics(new Registry()),
  maxRecordBatch: Number(MAX_RECORD_BATCH),
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 1000,
});

consumer.start().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from 'kafkajs';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { KafkaIngestConsumer } from '../../src/ingest/kafka/ingest-consumer';
import { IngestMetrics } from '../../src/ingest/kafka/ingest-metrics';
import type { IngestTopic } from '../../src/ingest/kafka/kafka-config';
import { deploymentBody, deploymentMessages } from './support/generic-messages';
import {
  capturingLogger,
  committedOffsets,
  createTopics,
  highWatermarks,
  produce,
  readTopic,
  testKafka,
  uniqueName,
  waitFor,
} from './support/kafka-test-kit';
import { MemoryRecorder } from './support/memory-recorder';

const kafka = testKafka();
const running: KafkaIngestConsumer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
});

async function startConsumer(options: {
  topics: IngestTopic[];
  dlqTopic: string;
  recorder: MemoryRecorder;
  logger: Logger;
  metrics: IngestMetrics;
}): Promise<{ consumer: KafkaIngestConsumer; groupId: string }> {
  const groupId = uniqueName('ingest');
  const consumer = new KafkaIngestConsumer({
    kafka,
    config: {
      groupId,
      ingestTopics: options.topics,
      dlqTopic: options.dlqTopic,
      ingestConcurrency: 3,
      ingestPrincipal: 'kafka-ingest',
    },
    recorder: options.recorder,
    logger: options.logger,
    metrics: options.metrics,
    backoff: { initialMs: 50, maxMs: 400 },
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 1000,
  });
  running.push(consumer);
  await consumer.start();
  return { consumer, groupId };
}

/** Partition and offset of each item handed to the recorder, from its correlation id. */
function deliveredOffsets(recorder: MemoryRecorder, topic: string): number[][] {
  const byPartition: number[][] = [[], [], []];
  for (const { origin } of recorder.deliveries) {
    const [from, partition, offset] = origin.correlationId.split('/');
    expect(origin.source).toBe(`kafka:${from}`);
    if (from === topic) byPartition[Number(partition)].push(Number(offset));
  }
  return byPartition;
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string>) {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((value) =>
    Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted),
  );
  return match?.value ?? 0;
}

describe('KafkaIngestConsumer on a real broker', () => {
  it('dead-letters poison messages with their origin, records the good ones in order, commits all', async () => {
    const events = uniqueName('ops-events');
    const alerts = uniqueName('alerts');
    const dlq = uniqueName('dlq');
    await createTopics(kafka, [events, alerts, dlq]);

    // Per partition, 12 messages; every 4th one cannot be understood, in three ways.
    const poison = ['{"kind": "deployment", truncated', '{"kind":"deployment","id":"x"}', null];
    const messages: Message[] = [];
    const expectedGood: number[][] = [[], [], []];
    const expectedPoison: { partition: number; offset: number; value: string | null }[] = [];
    for (let partition = 0; partition < 3; partition++) {
      for (let offset = 0; offset < 12; offset++) {
        const isPoison = offset % 4 === 2;
        // The ledger itself refuses one observation: it must be dead-lettered, not retried.
        const refused = partition === 1 && offset === 5;
        const value = isPoison
          ? poison[(offset + partition) % 3]
          : deploymentBody(`deploy-${partition}-${offset}`, refused ? 'refused' : 'checkout');
        messages.push({
          partition,
          key: `key-${partition}-${offset}`,
          value,
          headers: { 'X-Trace': `trace-${partition}-${offset}` },
        });
        if (isPoison || refused) expectedPoison.push({ partition, offset, value });
        else expectedGood[partition].push(offset);
      }
    }
    await produce(kafka, events, messages);
    // One Alertmanager notification reporting two alerts: one message, two observations.
    const alertGroup = readFileSync(
      join(__dirname, '../../src/ingest/formats/fixtures/alertmanager-group.json'),
    );
    await produce(kafka, alerts, [{ key: 'group', value: alertGroup, partition: 2 }]);

    const recorder = new MemoryRecorder(
      ({ observation }) => observation.kind === 'deployment' && observation.service === 'refused',
    );
    const registry = new Registry();
    const { logger, lines } = capturingLogger();
    const { groupId } = await startConsumer({
      topics: [
        { topic: events, format: 'generic' },
        { topic: alerts, format: 'alertmanager' },
      ],
      dlqTopic: dlq,
      recorder,
      logger,
      metrics: new IngestMetrics(registry),
    });

    const goodCount = expectedGood.flat().length;
    await waitFor(() => recorder.recorded.size === goodCount + 2, 60_000, 'the good messages');
    // Committed up to the end of every partition, the poison included: nothing blocks.
    await waitFor(
      async () => String(await committedOffsets(kafka, groupId, events)) === '12,12,12',
      30_000,
      'offsets committed to the end',
    );
    expect(await committedOffsets(kafka, groupId, alerts)).toEqual([-1, -1, 1]);
    const eventMarks = await highWatermarks(kafka, events);
    expect(eventMarks).toEqual([12, 12, 12]);

    // In order per partition, each once, nothing else.
    expect(deliveredOffsets(recorder, events)).toEqual(expectedGood);
    expect(deliveredOffsets(recorder, alerts)).toEqual([[], [], [0, 0]]);
    expect(recorder.deliveries).toHaveLength(goodCount + 2);

    const dead = await readTopic(kafka, dlq, expectedPoison.length);
    const summary = dead
      .map((message) => ({
        partition: Number(message.headers?.['x-original-partition']?.toString()),
        offset: Number(message.headers?.['x-original-offset']?.toString()),
        value: message.value?.toString() ?? null,
      }))
      .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    expect(summary).toEqual(expectedPoison);
    for (const message of dead) {
      const header = (name: string) => message.headers?.[name]?.toString();
      const partition = header('x-original-partition');
      const offset = header('x-original-offset');
      expect(header('x-original-topic')).toBe(events);
      expect(message.key?.toString()).toBe(`key-${partition}-${offset}`);
      expect(header('X-Trace')).toBe(`trace-${partition}-${offset}`);
      expect(Date.now() - Date.parse(header('x-dlq-at') ?? '')).toBeLessThan(60_000);
      expect(header('x-dlq-reason')).toEqual(expect.stringMatching(/\S/));
    }
    const reasonAt = (partition: number, offset: number) =>
      dead
        .find(
          (message) =>
            message.headers?.['x-original-partition']?.toString() === String(partition) &&
            message.headers?.['x-original-offset']?.toString() === String(offset),
        )
        ?.headers?.['x-dlq-reason']?.toString();
    expect(reasonAt(0, 2)).toBe('body is not JSON');
    expect(reasonAt(1, 5)).toBe('service: no stream can take this observation');

    expect(await metricValue(registry, 'ledger_ingest_dlq_total', { reason: 'malformed' })).toBe(9);
    expect(await metricValue(registry, 'ledger_ingest_dlq_total', { reason: 'unrecordable' })).toBe(
      1,
    );
    expect(
      await metricValue(registry, 'ledger_ingest_messages_total', {
        topic: events,
        outcome: 'recorded',
      }),
    ).toBe(goodCount);
    for (const partition of ['0', '1', '2']) {
      expect(
        await metricValue(registry, 'ledger_ingest_consumer_lag', { topic: events, partition }),
      ).toBe(0);
    }
    const logged = lines.filter((line) => line.msg === 'message dead-lettered');
    expect(logged).toHaveLength(expectedPoison.length);
    expect(logged[0]).toMatchObject({
      topic: events,
      partition: expect.any(Number) as unknown,
      offset: expect.any(String) as unknown,
    });
  });

  it('pauses while the store is unavailable, keeps its partitions, and resumes without loss', async () => {
    const events = uniqueName('deployments');
    const dlq = uniqueName('dlq');
    await createTopics(kafka, [events, dlq]);
    await produce(kafka, events, deploymentMessages(60));

    const recorder = new MemoryRecorder();
    recorder.storeUp = false;
    const registry = new Registry();
    const { logger, lines } = capturingLogger();
    const { consumer, groupId } = await startConsumer({
      topics: [{ topic: events, format: 'generic' }],
      dlqTopic: dlq,
      recorder,
      logger,
      metrics: new IngestMetrics(registry),
    });

    await waitFor(() => recorder.failedCalls >= 6, 30_000, 'appends failing');
    // Longer than the group session: only heartbeats keep the partitions with this member.
    await sleep(8000);
    expect(consumer.status()).toMatchObject({ state: 'joined', assignedPartitions: 3 });
    expect(Date.now() - (consumer.status().lastHeartbeatAt?.getTime() ?? 0)).toBeLessThan(3000);
    expect(await committedOffsets(kafka, groupId, events)).toEqual([-1, -1, -1]);
    expect(await highWatermarks(kafka, dlq)).toEqual([0, 0, 0]);
    expect(recorder.recorded.size).toBe(0);
    const retriesDuringOutage = recorder.failedCalls;

    recorder.storeUp = true;
    await waitFor(() => recorder.recorded.size === 60, 30_000, 'every message recorded');
    await waitFor(
      async () => String(await committedOffsets(kafka, groupId, events)) === '20,20,20',
      30_000,
      'offsets committed to the end',
    );
    const inOrder = Array.from({ length: 20 }, (_, offset) => offset);
    expect(deliveredOffsets(recorder, events)).toEqual([inOrder, inOrder, inOrder]);
    expect(recorder.deliveries).toHaveLength(60);
    expect(await highWatermarks(kafka, dlq)).toEqual([0, 0, 0]);
    expect(
      await metricValue(registry, 'ledger_ingest_record_retries_total', {
        topic: events,
        error: 'store_unavailable',
      }),
    ).toBeGreaterThanOrEqual(retriesDuringOutage);
    const warned = lines.filter((line) => line.level === 40 && line.topic === events);
    expect(warned.length).toBeGreaterThanOrEqual(retriesDuringOutage);
    expect(warned[0]).toMatchObject({
      partition: expect.any(Number) as unknown,
      offset: '0',
      err: { type: 'StoreUnavailable' },
    });
  });

  it('replaces a consumer kafkajs gives up on, which resumes from the committed offsets', async () => {
    const events = uniqueName('deployments');
    const dlq = uniqueName('dlq');
    await createTopics(kafka, [events, dlq]);
    await produce(kafka, events, deploymentMessages(30));

    // A bug surfacing in the middle of a batch, once: kafkajs counts a TypeError as
    // unrecoverable and leaves its consumer crashed for good, without restarting it.
    const metrics = new IngestMetrics(new Registry());
    const setLag = metrics.lag.set.bind(metrics.lag);
    let bugs = 1;
    metrics.lag.set = ((...args: Parameters<typeof setLag>) => {
      if (bugs-- > 0) throw new TypeError('Cannot read properties of undefined');
      setLag(...args);
    }) as typeof metrics.lag.set;

    const recorder = new MemoryRecorder();
    const { logger, lines } = capturingLogger('info');
    const { consumer, groupId } = await startConsumer({
      topics: [{ topic: events, format: 'generic' }],
      dlqTopic: dlq,
      recorder,
      logger,
      metrics,
    });

    await waitFor(() => recorder.recorded.size === 30, 60_000, 'every message recorded');
    await waitFor(
      async () => String(await committedOffsets(kafka, groupId, events)) === '10,10,10',
      30_000,
      'offsets committed to the end',
    );
    await waitFor(() => consumer.status().state === 'joined', 30_000, 'the replacement joined');
    expect(bugs).toBeLessThan(0);
    expect(
      lines.filter((line) => line.msg === 'Kafka ingest consumer crashed; replacing it'),
    ).toMatchObject([{ level: 50, restart: false }]);
    expect(lines.filter((line) => line.msg === 'Kafka ingest consumer replaced')).toHaveLength(1);
    // Each partition in order, and again only if it was not committed when the consumer crashed:
    // the batch that crashed had been, so fewer than all 30 came twice.
    const once = Array.from({ length: 10 }, (_, offset) => offset);
    for (const offsets of deliveredOffsets(recorder, events)) {
      expect([once, [...once, ...once]]).toContainEqual(offsets);
    }
    expect(recorder.deliveries.length).toBeLessThan(60);
  });
});

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners, type KafkaMessage, type Message } from 'kafkajs';
import pino, { type Logger } from 'pino';

/** scripts/test.sh exports it from `scripts/kafka.sh start`; the script's default otherwise. */
export const TEST_BROKERS = (process.env.KAFKA_TEST_BROKERS ?? '127.0.0.1:19092').split(',');

export function testKafka(clientId = 'change-ledger-test'): Kafka {
  return new Kafka({ clientId, brokers: TEST_BROKERS, logLevel: logLevel.NOTHING });
}

/** Topic and group names no other run or parallel suite uses. */
export function uniqueName(label: string): string {
  return `test.${label}.${process.pid}.${randomBytes(4).toString('hex')}`;
}

/**
 * Creates the topics (and waits for their leaders). An unreachable broker is an error, never
 * a skip, so a green run always means the suites ran against Kafka.
 */
export async function createTopics(
  kafka: Kafka,
  topics: readonly string[],
  numPartitions = 3,
): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Kafka is unreachable at ${TEST_BROKERS.join(',')} (${(error as Error).message}). ` +
        'Start it with `bash scripts/kafka.sh start` or set KAFKA_TEST_BROKERS; ' +
        'these suites fail rather than skip.',
      { cause: error },
    );
  }
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

export async function produce(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

export type ReadMessage = KafkaMessage & { readonly partition: number };

/** Reads a topic from the beginning, in a throw-away group, until `count` messages arrived. */
export function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  return readTopicUntil(
    kafka,
    topic,
    (read) => read.length >= count,
    timeoutMs,
    `${count} messages on ${topic}`,
  );
}

/** Reads a topic from the beginning, in a throw-away group, until `enough` says so. */
export async function readTopicUntil(
  kafka: Kafka,
  topic: string,
  enough: (read: readonly ReadMessage[]) => boolean,
  timeoutMs: number,
  what: string,
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader') });
  const read: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        read.push({ ...message, partition });
        return Promise.resolve();
      },
    });
    await waitFor(() => enough(read), timeoutMs, what);
  } finally {
    await consumer.disconnect();
  }
  return read;
}

/** Next offset to read of each partition, i.e. how many messages it holds (nothing is deleted). */
export async function highWatermarks(kafka: Kafka, topic: string): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.sort((a, b) => a.partition - b.partition).map(({ high }) => Number(high));
  } finally {
    await admin.disconnect();
  }
}

/** The group's committed offset of each partition; -1 where it committed nothing. */
export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return partitions.sort((a, b) => a.partition - b.partition).map(({ offset }) => Number(offset));
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** A pino logger whose JSON lines the test can read back. */
export function capturingLogger(level = 'warn'): {
  logger: Logger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

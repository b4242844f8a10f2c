import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { isStoreOutage } from '../../ledger/ledger-errors';
import { normalizerFor } from '../formats';
import { ConflictingRedelivery, MalformedMessage, type Normalizer } from '../observation';
import type { IngestItem, IngestOutcome, ObservationRecorder } from '../recording/ingest-item';
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from '../../common/backoff';
import type { KafkaConfig } from './kafka-config';
import { deadLetterMessage, toInboundMessage } from './kafka-message';
import type { DeadLetterReason, IngestMetrics } from './ingest-metrics';
import { ReconnectingProducer } from '../../kafka/reconnecting-producer';

export interface IngestConsumerOptions {
  readonly kafka: Kafka;
  readonly config: Pick<
    KafkaConfig,
    'groupId' | 'ingestTopics' | 'dlqTopic' | 'ingestConcurrency' | 'ingestPrincipal'
  >;
  readonly recorder: ObservationRecorder;
  readonly logger: Logger;
  readonly metrics: IngestMetrics;
  /** Most messages handed to the recorder in one call (default 500). */
  readonly maxRecordBatch?: number;
  /**
   * Waits between retries while the ledger cannot record, and between attempts to replace a
   * crashed consumer (default 250 ms doubling to 5 s).
   */
  readonly backoff?: Backoff;
  /** kafkajs group session timeout (default 30 s); a dead member is noticed after it. */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
}

export interface IngestConsumerStatus {
  /** joined: a member of the group with its partitions assigned. */
  readonly state: 'stopped' | 'joining' | 'joined' | 'crashed';
  /** When it entered that state. */
  readonly since: Date;
  readonly lastHeartbeatAt: Date | null;
  readonly assignedPartitions: number;
  readonly sessionTimeoutMs: number;
}

interface Accepted {
  readonly message: KafkaMessage;
  readonly items: IngestItem[];
}

/** Consecutive messages of one partition, processed together. */
interface Chunk {
  readonly topic: string;
  readonly partition: number;
  readonly messages: KafkaMessage[];
  readonly payload: EachBatchPayload;
}

interface Refused {
  readonly message: KafkaMessage;
  readonly reason: DeadLetterReason;
  readonly detail: string;
}

/**
 * Reads the ingest topics as one consumer group: normalizes each message with its topic's
 * format, records what it reports in the ledger, dead-letters what cannot be understood, and
 * commits a partition's offsets only once everything up to them is in the ledger or in the
 * dead-letter topic. While the ledger is down it retries the same messages, heartbeating, so
 * an outage pauses consumption and loses nothing. kafkajs restarts a consumer after the
 * failures it deems transient (a broker away); after any other crash this replaces the
 * consumer, with back-off, until a new one runs: it resumes from the committed offsets.
 */
export class KafkaIngestConsumer {
  private consumer: Consumer | null = null;
  private readonly producer: ReconnectingProducer;
  /** Replacing a crashed consumer; null otherwise. */
  private replacing: Promise<void> | null = null;
  private readonly normalizers = new Map<string, Normalizer>();
  private readonly maxRecordBatch: number;
  private readonly backoff: Backoff;
  private readonly sessionTimeoutMs: number;
  private readonly logger: Logger;
  private stopping = new AbortController();
  private state: IngestConsumerStatus['state'] = 'stopped';
  private since = new Date();
  private lastHeartbeatAt: Date | null = null;
  private assignedPartitions = 0;

  constructor(private readonly options: IngestConsumerOptions) {
    const { kafka, config } = options;
    for (const { topic, format } of config.ingestTopics) {
      this.normalizers.set(topic, normalizerFor(format) as Normalizer);
    }
    this.maxRecordBatch = options.maxRecordBatch ?? 500;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 30_000;
    this.logger = options.logger.child({ component: 'kafka-ingest' });
    this.producer = new ReconnectingProducer(kafka);
  }

  /** Joins the group; fails when the brokers cannot be reached at all (start-up fails fast). */
  async start(): Promise<void> {
    this.stopping = new AbortController();
    this.enter('joining');
    await this.producer.connect();
    await this.run(this.newConsumer());
  }

  /** Leaves the group after the batch in hand; what is not committed is redelivered. */
  async stop(): Promise<void> {
    this.stopping.abort();
    const replacing = this.replacing;
    await this.consumer?.disconnect();
    await replacing;
    // A replacement started just before the abort is the current consumer now.
    await this.consumer?.disconnect();
    await this.producer.disconnect();
    this.enter('stopped');
  }

  status(): IngestConsumerStatus {
    return {
      state: this.state,
      since: this.since,
      lastHeartbeatAt: this.lastHeartbeatAt,
      assignedPartitions: this.assignedPartitions,
      sessionTimeoutMs: this.sessionTimeoutMs,
    };
  }

  private enter(state: IngestConsumerStatus['state']): void {
    if (state !== this.state) this.since = new Date();
    this.state = state;
  }

  private newConsumer(): Consumer {
    const consumer = this.options.kafka.consumer({
      groupId: this.options.config.groupId,
      sessionTimeout: this.sessionTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3000,
    });
    this.consumer = consumer;
    this.observeGroup(consumer);
    return consumer;
  }

  private async run(consumer: Consumer): Promise<void> {
    await consumer.connect();
    // A new group starts at the beginning: an audit trail wants what was sent before it ran.
    await consumer.subscribe({ topics: [...this.normalizers.keys()], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.config.ingestConcurrency,
      eachBatch: (payload) => this.consume(payload),
    });
  }

  /**
   * Replaces a consumer kafkajs will not restart, trying again with back-off until a new one
   * runs or the consumer is stopped.
   */
  private replace(crashed: Consumer): void {
    if (this.replacing !== null || this.stopping.signal.aborted) return;
    const { signal } = this.stopping;
    this.replacing = (async () => {
      let previous = crashed;
      for (let attempt = 0; ; attempt++) {
        const delay = backoffDelay(attempt, this.backoff);
        await sleep(delay, undefined, { signal }).catch(() => undefined);
        await previous.disconnect().catch(() => undefined);
        if (signal.aborted) return;
        this.enter('joining');
        const next = this.newConsumer();
        try {
          await this.run(next);
          this.logger.info({ attempts: attempt + 1 }, 'Kafka ingest consumer replaced');
          return;
        } catch (error) {
          this.logger.warn(
            { err: error, attempt: attempt + 1 },
            'cannot replace the crashed Kafka ingest consumer yet; retrying',
          );
          previous = next;
        }
      }
    })().finally(() => {
      this.replacing = null;
    });
  }

  private observeGroup(consumer: Consumer): void {
    const { events } = consumer;
    // Events of a consumer that was replaced no longer say anything about this one.
    const current = () => consumer === this.consumer;
    consumer.on(events.GROUP_JOIN, ({ timestamp, payload }) => {
      if (!current()) return;
      this.enter('joined');
      this.lastHeartbeatAt = new Date(timestamp);
      this.assignedPartitions = Object.values(payload.memberAssignment).flat().length;
      // Partitions now owned by another member must not keep reporting a frozen lag here.
      this.options.metrics.lag.reset();
    });
    consumer.on(events.HEARTBEAT, ({ timestamp }) => {
      if (current()) this.lastHeartbeatAt = new Date(timestamp);
    });
    consumer.on(events.REBALANCING, () => {
      if (current()) this.enter('joining');
    });
    consumer.on(events.CRASH, ({ payload }) => {
      if (!current() || this.stopping.signal.aborted) return;
      this.logger[payload.restart ? 'warn' : 'error'](
        { err: payload.error, restart: payload.restart },
        payload.restart
          ? 'Kafka ingest consumer crashed; kafkajs restarts it'
          : 'Kafka ingest consumer crashed; replacing it',
      );
      if (payload.restart) {
        this.enter('joining');
        return;
      }
      this.enter('crashed');
      this.replace(consumer);
    });
  }

  private async consume(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    for (let start = 0; start < batch.messages.length; start += this.maxRecordBatch) {
      if (!this.canContinue(payload)) return;
      const messages = batch.messages.slice(start, start + this.maxRecordBatch);
      if (!(await this.process({ topic, partition, messages, payload }))) return;
      const last = messages[messages.length - 1].offset;
      payload.resolveOffset(last);
      // autoCommit is off: commit exactly what is resolved, i.e. recorded or dead-lettered.
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
      this.options.metrics.lag.set(
        { topic, partition: String(partition) },
        Number(BigInt(batch.highWatermark) - BigInt(last) - 1n),
      );
      await payload.heartbeat();
    }
  }

  /** Returns false when it gave up (stopping, or the partition moved): nothing may be resolved. */
  private async process(chunk: Chunk): Promise<boolean> {
    const { topic, partition, messages } = chunk;
    const normalize = this.normalizers.get(topic) as Normalizer;
    const accepted: Accepted[] = [];
    const refused: Refused[] = [];
    const receivedAt = new Date().toISOString();
    for (const message of messages) {
      try {
        const origin = {
          source: `kafka:${topic}`,
          correlationId: `${topic}/${partition}/${message.offset}`,
          sender: this.options.config.ingestPrincipal,
          receivedAt,
        };
        const observations = normalize(toInboundMessage(message));
        accepted.push({
          message,
          items: observations.map((observation) => ({ observation, origin })),
        });
      } catch (error) {
        refused.push(refusal(message, error, 'malformed'));
      }
    }

    const recordable = accepted.filter(({ items }) => items.length > 0);
    const outcome = await this.record(
      recordable.flatMap(({ items }) => items),
      chunk,
    );
    if (outcome === null) return false;
    let recorded = recordable;
    if (outcome instanceof MalformedMessage) {
      // One observation of the lot is refused by the ledger: find its message, one by one.
      recorded = [];
      for (const entry of recordable) {
        const single = await this.record(entry.items, chunk);
        if (single === null) return false;
        if (single instanceof ConflictingRedelivery) {
          refused.push(refusal(entry.message, single, 'conflict'));
          this.options.metrics.conflicts.inc({ route: 'kafka' });
        } else if (single instanceof MalformedMessage) {
          refused.push(refusal(entry.message, single, 'unrecordable'));
        } else recorded.push(entry);
      }
    }

    await this.deadLetter(topic, partition, refused);
    const { metrics } = this.options;
    const duplicate =
      !(outcome instanceof MalformedMessage) &&
      outcome.recorded === 0 &&
      outcome.alreadyRecorded > 0;
    metrics.messages.inc({ topic, outcome: duplicate ? 'duplicate' : 'recorded' }, recorded.length);
    metrics.messages.inc({ topic, outcome: 'ignored' }, accepted.length - recordable.length);
    metrics.messages.inc({ topic, outcome: 'dead_lettered' }, refused.length);
    return true;
  }

  /**
   * Records the items, retrying with back-off for as long as the ledger fails for a reason
   * other than the items themselves. Null when it gave up; the MalformedMessage when the
   * ledger refuses an observation, which no retry would change.
   */
  private async record(
    items: IngestItem[],
    chunk: Chunk,
  ): Promise<IngestOutcome | MalformedMessage | null> {
    if (items.length === 0) return { recorded: 0, alreadyRecorded: 0 };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.options.recorder.record(items);
      } catch (error) {
        if (error instanceof MalformedMessage) return error;
        const unavailable = isStoreOutage(error);
        const delay = backoffDelay(attempt, this.backoff);
        const { topic, partition, messages } = chunk;
        this.options.metrics.recordRetries.inc({
          topic,
          error: unavailable ? 'store_unavailable' : 'unexpected',
        });
        this.logger[unavailable ? 'warn' : 'error'](
          {
            topic,
            partition,
            offset: messages[0].offset,
            lastOffset: messages[messages.length - 1].offset,
            attempt,
            retryInMs: delay,
            err: error,
          },
          'cannot record ingested messages yet; retrying the same messages',
        );
        if (!(await this.waitHeartbeating(delay, chunk.payload))) return null;
      }
    }
  }

  /** Sleeps in short steps, heartbeating so the group keeps the partition with us. */
  private async waitHeartbeating(ms: number, payload: EachBatchPayload): Promise<boolean> {
    const until = Date.now() + ms;
    for (let left = ms; left > 0; left = until - Date.now()) {
      if (!this.canContinue(payload)) return false;
      await payload.heartbeat();
      await sleep(Math.min(left, 1000), undefined, { signal: this.stopping.signal }).catch(
        () => undefined,
      );
    }
    return this.canContinue(payload);
  }

  private canContinue(payload: EachBatchPayload): boolean {
    return !this.stopping.signal.aborted && payload.isRunning() && !payload.isStale();
  }

  private async deadLetter(topic: string, partition: number, refused: Refused[]): Promise<void> {
    if (refused.length === 0) return;
    const at = new Date();
    const inOrder = [...refused].sort((a, b) => compareOffsets(a.message.offset, b.message.offset));
    // Acknowledged by every in-sync replica before the offsets move past these messages.
    await this.producer.send({
      topic: this.options.config.dlqTopic,
      messages: inOrder.map(({ message, detail }) =>
        deadLetterMessage(message, { topic, partition, reason: detail, at }),
      ),
    });
    for (const { message, reason, detail } of inOrder) {
      this.options.metrics.deadLetters.inc({ topic, reason });
      this.logger.warn(
        {
          topic,
          partition,
          offset: message.offset,
          reason,
          detail,
          dlqTopic: this.options.config.dlqTopic,
        },
        'message dead-lettered',
      );
    }
  }
}

function refusal(message: KafkaMessage, error: unknown, reason: DeadLetterReason): Refused {
  if (error instanceof MalformedMessage) return { message, reason, detail: error.message };
  // A normalizer that throws anything else has a bug; the message still must not block.
  return {
    message,
    reason: 'unexpected',
    detail: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
  };
}

function compareOffsets(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kafka, Message } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { DEFAULT_BACKOFF, type Backoff } from '../common/backoff';
import { TIMED_OUT, withTimeout } from '../common/with-timeout';
import { isKafkaOutage } from '../kafka/kafka-outage';
import { ReconnectingProducer } from '../kafka/reconnecting-producer';
import type { EventStore } from '../ledger/event-store';
import { FollowerLoop } from '../ledger/follower-loop';
import { isStoreOutage } from '../ledger/ledger-errors';
import type { RecordedEvent } from '../ledger/ledger-event';
import type { SqlClient } from '../sql/sql-client';
import { OutboxCheckpoint } from './outbox-checkpoint';
import { requestsOf } from './outbox-requests';

/** One message to publish, and where it stands in its feed. */
export interface OutboxEntry {
  readonly position: string;
  readonly message: Message;
}

/** What an outbox publishes: entries in order after a position it checkpoints. */
export interface OutboxFeed {
  /** `events` or `checkpoints`: names its metrics and tells its checkpoint row apart. */
  readonly name: string;
  /** Makes what it reads exist (its tables), before the outbox first reads. */
  prepare?(): Promise<void>;
  read(after: string | null, limit: number): Promise<OutboxEntry[]>;
}

export interface LedgerOutboxOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly feed: OutboxFeed;
  /** Holds the outbox's checkpoint (the read-model database). */
  readonly sql: SqlClient;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Events per Kafka produce request (default 500). */
  readonly batchSize?: number;
  /** How often to look for new events once caught up (default 200 ms). */
  readonly idleMs?: number;
  /** How long an instance may publish without renewing its claim (default 15 s). */
  readonly leaseMs?: number;
  /** Waits between retries while the ledger or the brokers fail (default 250 ms doubling to 5 s). */
  readonly backoff?: Backoff;
  /** How long stop() waits for a produce request in flight (default 10 s). */
  readonly stopTimeoutMs?: number;
}

export interface LedgerOutboxStatus {
  /** This instance publishes; false while another instance holds the lease or before start. */
  readonly active: boolean;
  /** Position of the last event the brokers acknowledged, as checkpointed. */
  readonly position: string | null;
  readonly lastPublishedAt: Date | null;
  /** Set while publishing keeps failing; the first failure of the current run of failures. */
  readonly failingSince: Date | null;
}

/** Kafka view of one committed ledger event; consumers deduplicate by the eventId header. */
export function outboxMessage(event: RecordedEvent): Message {
  return {
    key: event.streamId,
    value: JSON.stringify(event),
    headers: {
      eventId: event.eventId,
      type: event.type,
      streamId: event.streamId,
      revision: String(event.revision),
      position: event.position,
    },
  };
}

/** The committed ledger events, in global order. */
export function ledgerEventFeed(store: EventStore): OutboxFeed {
  return {
    name: 'events',
    read: async (after, limit) =>
      (await store.readAll(after, limit)).map((event) => ({
        position: event.position,
        message: outboxMessage(event),
      })),
  };
}

/**
 * Publishes a feed, in order, to a Kafka topic: every committed ledger event (keyed by stream,
 * so each stream keeps its order within a partition), or every signed checkpoint. The
 * checkpoint moves only after every in-sync replica acknowledged: at least once, never a gap.
 * When the database or the brokers fail it retries with back-off, each time from its stored
 * checkpoint, with a new producer.
 */
export class LedgerOutbox {
  private readonly producer: ReconnectingProducer;
  private readonly checkpoint: OutboxCheckpoint;
  private readonly logger: Logger;
  private readonly published: Counter<'topic'>;
  private readonly failures: Counter<'topic'>;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly leaseMs: number;
  private readonly loop: FollowerLoop;
  /** When the lease must be renewed; 0 makes the next turn claim it (and reload the checkpoint). */
  private renewAt = 0;
  private state: Omit<LedgerOutboxStatus, 'failingSince'> = {
    active: false,
    position: null,
    lastPublishedAt: null,
  };

  constructor(private readonly options: LedgerOutboxOptions) {
    this.producer = new ReconnectingProducer(options.kafka);
    this.leaseMs = options.leaseMs ?? 15_000;
    this.batchSize = options.batchSize ?? 500;
    this.idleMs = options.idleMs ?? 200;
    const holder = `${hostname()}/${process.pid}/${randomUUID()}`;
    const { feed, topic, registry } = options;
    // The events' row keeps the name it always had: the topic.
    const outbox = feed.name === 'events' ? topic : `${topic}#${feed.name}`;
    this.checkpoint = new OutboxCheckpoint(options.sql, outbox, holder, this.leaseMs);
    this.logger = options.logger.child({ component: 'ledger-outbox', topic, feed: feed.name });
    this.published = new Counter({
      name: `ledger_outbox_${feed.name}_published_total`,
      help: `Ledger ${feed.name} the brokers acknowledged on the outbox topic`,
      labelNames: ['topic'],
      registers: [registry],
    });
    // One counter for every feed of the instance.
    this.failures =
      (registry.getSingleMetric('ledger_outbox_failures_total') as Counter<'topic'> | undefined) ??
      new Counter({
        name: 'ledger_outbox_failures_total',
        help: 'Failed attempts to read a feed or publish it (retried)',
        labelNames: ['topic'],
        registers: [registry],
      });
    this.loop = new FollowerLoop((signal) => this.turn(signal), {
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      onFailure: (error, attempt, retryInMs) => {
        this.failures.inc({ topic: options.topic });
        // A store outage or an unreachable broker is to be ridden out; anything else is a bug.
        this.logger[isStoreOutage(error) || isKafkaOutage(error) ? 'warn' : 'error'](
          { err: error, attempt, position: this.state.position, retryInMs },
          `outbox cannot publish the ledger's ${options.feed.name} yet; retrying from its checkpoint`,
        );
      },
      onRecovery: (attempts, failingForMs) =>
        this.logger.info(
          { attempts, failingForMs, position: this.state.position },
          'outbox publishing again',
        ),
    });
  }

  async start(): Promise<void> {
    await this.options.feed.prepare?.();
    await this.checkpoint.prepare();
    await this.producer.connect();
    this.loop.start();
  }

  async stop(): Promise<void> {
    // A produce request to an unreachable cluster retries for long; do not wait for it forever.
    const stopped = await withTimeout(this.loop.stop(), this.options.stopTimeoutMs ?? 10_000);
    if (stopped === TIMED_OUT) {
      this.logger.warn('outbox stopping with a produce request still in flight');
    }
    await this.producer.disconnect();
    await this.loop.stop();
    if (this.state.active) await this.checkpoint.release().catch(() => undefined);
    this.state = { ...this.state, active: false };
  }

  status(): LedgerOutboxStatus {
    return { ...this.state, failingSince: this.loop.health().failingSince };
  }

  /** Claims or renews the lease when due, then publishes the next batch after the checkpoint. */
  private async turn(signal: AbortSignal): Promise<number> {
    try {
      if (!this.state.active || Date.now() >= this.renewAt) {
        if (!(await this.claim())) return this.leaseMs / 3;
        this.renewAt = Date.now() + this.leaseMs / 3;
      }
      const entries = await this.options.feed.read(this.state.position, this.batchSize);
      if (entries.length > 0 && !signal.aborted) {
        await this.publish(entries);
        this.renewAt = Date.now() + this.leaseMs / 3;
      }
      return entries.length < this.batchSize ? this.idleMs : 0;
    } catch (error) {
      // Start the next turn from the stored checkpoint, under a lease claimed anew.
      this.renewAt = 0;
      throw error;
    }
  }

  /** True when this instance holds the lease, with the checkpointed position loaded. */
  private async claim(): Promise<boolean> {
    const held = await this.checkpoint.acquire();
    if (held === undefined) {
      if (this.state.active) this.logger.warn('another instance took over the outbox');
      this.state = { ...this.state, active: false };
      return false;
    }
    if (!this.state.active) {
      this.logger.info({ position: held.position }, 'outbox publishing from its checkpoint');
    }
    this.state = { ...this.state, active: true, position: held.position };
    return true;
  }

  private async publish(entries: OutboxEntry[]): Promise<void> {
    for (const messages of requestsOf(entries.map((entry) => entry.message))) {
      await this.producer.send({ topic: this.options.topic, messages });
    }
    const last = entries[entries.length - 1].position;
    if (!(await this.checkpoint.advance(last, entries.length))) {
      // Another instance claimed the outbox meanwhile: it republishes from the stored
      // checkpoint, so these entries are at worst delivered twice, never skipped.
      this.logger.warn('lost the outbox lease while publishing; standing by');
      this.state = { ...this.state, active: false };
      return;
    }
    this.published.inc({ topic: this.options.topic }, entries.length);
    this.state = { ...this.state, position: last, lastPublishedAt: new Date() };
  }
}

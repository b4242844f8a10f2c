import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { LedgerOutbox, LedgerOutboxStatus } from '../../outbox/ledger-outbox';
import type { IngestConsumerStatus, KafkaIngestConsumer } from './ingest-consumer';
import { TIMED_OUT, withTimeout } from '../../common/with-timeout';

export interface KafkaClusterView {
  readonly brokers: number;
  readonly controller: number | null;
}

/** The Kafka side of one instance: ingest consumer, ledger outbox, and an admin for checks. */
export class KafkaRuntime {
  private readonly admin: Admin;

  constructor(
    kafka: Kafka,
    private readonly consumer: KafkaIngestConsumer,
    /** The ledger events' outbox first, then the checkpoints' (none when the outbox is off). */
    private readonly outboxes: readonly LedgerOutbox[],
    private readonly logger: Logger,
  ) {
    this.admin = kafka.admin();
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await this.consumer.start();
    for (const outbox of this.outboxes) await outbox.start();
    this.logger.info({ outbox: this.outboxes.length > 0 }, 'Kafka ingest started');
  }

  /** Stops everything it can, even when one part fails, and reports the first failure. */
  async stop(): Promise<void> {
    const results = await Promise.allSettled([
      this.consumer.stop(),
      ...this.outboxes.map((outbox) => outbox.stop()),
      this.admin.disconnect(),
    ]);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** The cluster as the brokers describe it; rejects after `timeoutMs`. */
  async describeCluster(timeoutMs: number): Promise<KafkaClusterView> {
    const request = this.admin.describeCluster();
    // The request keeps retrying after the timeout wins: its eventual failure is not news.
    request.catch(() => undefined);
    const cluster = await withTimeout(request, timeoutMs);
    if (cluster === TIMED_OUT) throw new Error(`no answer from the brokers within ${timeoutMs} ms`);
    return { brokers: cluster.brokers.length, controller: cluster.controller };
  }

  consumerStatus(): IngestConsumerStatus {
    return this.consumer.status();
  }

  /** The ledger events' outbox. */
  outboxStatus(): LedgerOutboxStatus | null {
    return this.outboxes[0]?.status() ?? null;
  }

  /** The checkpoints' outbox, when there is one. */
  checkpointOutboxStatus(): LedgerOutboxStatus | null {
    return this.outboxes[1]?.status() ?? null;
  }
}

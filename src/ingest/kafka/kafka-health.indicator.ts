import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { LedgerOutboxStatus } from '../../outbox/ledger-outbox';
import type { IngestConsumerStatus } from './ingest-consumer';
import { KafkaRuntime } from './kafka-runtime';

/** Null when Kafka is not configured. */
export const KAFKA_RUNTIME = Symbol('KafkaRuntime');

const CLUSTER_TIMEOUT_MS = 2000;

/**
 * Readiness of the Kafka side: the brokers answer, and the ingest consumer is in its group and
 * heartbeating. Up, saying so, when Kafka is not configured (it is optional).
 */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(KAFKA_RUNTIME) private readonly runtime: KafkaRuntime | null,
  ) {}

  async isHealthy<const Key extends string = 'kafka'>(
    key: Key = 'kafka' as Key,
  ): Promise<HealthIndicatorResult<Key>> {
    const check = this.indicator.check(key);
    if (this.runtime === null) return check.up({ configured: false });
    const consumer = this.runtime.consumerStatus();
    const outbox = this.runtime.outboxStatus();
    const checkpoints = this.runtime.checkpointOutboxStatus();
    const details = {
      consumer: consumer.state,
      lastHeartbeatAt: consumer.lastHeartbeatAt?.toISOString() ?? null,
      assignedPartitions: consumer.assignedPartitions,
      ...(outbox && { outbox: outboxDetails(outbox) }),
      ...(checkpoints && { checkpointOutbox: outboxDetails(checkpoints) }),
    };
    try {
      const cluster = await this.runtime.describeCluster(CLUSTER_TIMEOUT_MS);
      const problem = consumerProblem(consumer, Date.now());
      if (problem !== null) return check.down({ ...details, message: problem });
      return check.up({ ...details, brokers: cluster.brokers });
    } catch (error) {
      return check.down({ ...details, message: (error as Error).message });
    }
  }
}

function outboxDetails(status: LedgerOutboxStatus) {
  return {
    active: status.active,
    lastPublishedAt: status.lastPublishedAt?.toISOString() ?? null,
    failingSince: status.failingSince?.toISOString() ?? null,
  };
}

/** Why the consumer is not doing its job, or null. Rebalances shorter than a session are fine. */
export function consumerProblem(status: IngestConsumerStatus, now: number): string | null {
  const window = status.sessionTimeoutMs;
  switch (status.state) {
    case 'stopped':
    case 'crashed':
      return `ingest consumer ${status.state}`;
    case 'joining':
      return now - status.since.getTime() > window
        ? `ingest consumer has not joined its group for ${Math.round((now - status.since.getTime()) / 1000)} s`
        : null;
    case 'joined': {
      const last = status.lastHeartbeatAt?.getTime() ?? status.since.getTime();
      return now - last > window
        ? `no group heartbeat for ${Math.round((now - last) / 1000)} s`
        : null;
    }
  }
}

import { HealthIndicatorService } from '@nestjs/terminus';
import type { IngestConsumerStatus } from './ingest-consumer';
import { consumerProblem, KafkaHealthIndicator } from './kafka-health.indicator';
import type { KafkaRuntime } from './kafka-runtime';

const NOW = Date.parse('2024-05-14T10:00:00Z');
const secondsAgo = (seconds: number) => new Date(NOW - seconds * 1000);

function status(overrides: Partial<IngestConsumerStatus>): IngestConsumerStatus {
  return {
    state: 'joined',
    since: secondsAgo(600),
    lastHeartbeatAt: secondsAgo(2),
    assignedPartitions: 3,
    sessionTimeoutMs: 30_000,
    ...overrides,
  };
}

describe('consumerProblem', () => {
  it('is null for a member heartbeating within its session', () => {
    expect(consumerProblem(status({}), NOW)).toBeNull();
  });

  it('tolerates a rebalance shorter than a session, not a longer one', () => {
    expect(consumerProblem(status({ state: 'joining', since: secondsAgo(10) }), NOW)).toBeNull();
    expect(consumerProblem(status({ state: 'joining', since: secondsAgo(45) }), NOW)).toBe(
      'ingest consumer has not joined its group for 45 s',
    );
  });

  it('reports a member whose heartbeats stopped, and a stopped or crashed consumer', () => {
    expect(consumerProblem(status({ lastHeartbeatAt: secondsAgo(31) }), NOW)).toBe(
      'no group heartbeat for 31 s',
    );
    expect(consumerProblem(status({ state: 'crashed' }), NOW)).toBe('ingest consumer crashed');
    expect(consumerProblem(status({ state: 'stopped' }), NOW)).toBe('ingest consumer stopped');
  });
});

describe('KafkaHealthIndicator', () => {
  const indicator = (runtime: Partial<KafkaRuntime> | null) =>
    new KafkaHealthIndicator(new HealthIndicatorService(), runtime as KafkaRuntime | null);

  it('is up, saying so, when Kafka is not configured', async () => {
    await expect(indicator(null).isHealthy()).resolves.toEqual({
      kafka: { status: 'up', configured: false },
    });
  });

  it('is down with the reason when the brokers do not answer', async () => {
    const result = await indicator({
      consumerStatus: () => status({ lastHeartbeatAt: new Date() }),
      outboxStatus: () => null,
      checkpointOutboxStatus: () => null,
      describeCluster: () => Promise.reject(new Error('no answer from the brokers within 2000 ms')),
    }).isHealthy();
    expect(result.kafka).toMatchObject({
      status: 'down',
      consumer: 'joined',
      message: 'no answer from the brokers within 2000 ms',
    });
  });
});

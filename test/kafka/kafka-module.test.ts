import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_CONFIG } from '../../src/config/config';
import { loadConfig } from '../../src/load-config';
import type { KafkaConfig } from '../../src/ingest/kafka/kafka-config';
import { KAFKA_RUNTIME, KafkaHealthIndicator } from '../../src/ingest/kafka/kafka-health.indicator';
import { KafkaModule } from '../../src/ingest/kafka/kafka.module';
import type { KafkaRuntime } from '../../src/ingest/kafka/kafka-runtime';
import { OBSERVATION_RECORDER } from '../../src/ingest/recording/ingest-item';
import { SqlEventStore } from '../../src/ledger/adapters/sql/sql-event-store';
import { EVENT_STORE } from '../../src/ledger/event-store';
import { Metrics } from '../../src/observability/metrics';
import { PgSqlClient } from '../../src/sql/pg-sql-client';
import { SQL_CLIENT } from '../../src/sql/sql-client';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { deploymentBody } from './support/generic-messages';
import {
  createTopics,
  produce,
  readTopic,
  TEST_BROKERS,
  testKafka,
  uniqueName,
  waitFor,
} from './support/kafka-test-kit';
import { MemoryRecorder } from './support/memory-recorder';

const kafka = testKafka();

/** What AppModule provides around KafkaModule: storage, config and metrics are global there. */
function application(
  config: KafkaConfig | null,
  storage: { store: SqlEventStore; sql: PgSqlClient } | null,
  recorder: MemoryRecorder,
): DynamicModule {
  @Module({})
  class Surroundings {}
  @Module({
    providers: [{ provide: OBSERVATION_RECORDER, useValue: recorder }],
    exports: [OBSERVATION_RECORDER],
  })
  class Recording {}
  @Module({})
  class TestApplication {}
  return {
    module: TestApplication,
    imports: [
      {
        module: Surroundings,
        global: true,
        providers: [
          { provide: APP_CONFIG, useValue: { logLevel: 'silent' } },
          { provide: EVENT_STORE, useValue: storage?.store ?? null },
          { provide: SQL_CLIENT, useValue: storage?.sql ?? null },
          Metrics,
        ],
        exports: [APP_CONFIG, EVENT_STORE, SQL_CLIENT, Metrics],
      },
      KafkaModule.forRoot(config, [Recording]),
    ],
  };
}

describe('KafkaModule', () => {
  let database: TestDatabase;
  let sql: PgSqlClient;
  let store: SqlEventStore;
  let context: INestApplicationContext | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('kafka_module');
    sql = new PgSqlClient({ connectionString: database.connectionString });
    store = await SqlEventStore.open('postgres', sql);
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('without KAFKA_BROKERS provides only a health indicator saying Kafka is not configured', async () => {
    context = await NestFactory.createApplicationContext(
      application(null, null, new MemoryRecorder()),
      { logger: false },
    );
    await expect(context.get(KafkaHealthIndicator).isHealthy()).resolves.toEqual({
      kafka: { status: 'up', configured: false },
    });
    expect(context.get(KAFKA_RUNTIME)).toBeNull();
  });

  it('starts ingest and the outbox with the application and stops them with it', async () => {
    const ingest = uniqueName('ops-events');
    const dlq = uniqueName('dlq');
    const ledger = uniqueName('ledger-events');
    await createTopics(kafka, [ingest, dlq, ledger]);
    const { kafka: config } = loadConfig({
      KAFKA_BROKERS: TEST_BROKERS.join(','),
      KAFKA_GROUP_ID: uniqueName('ingest'),
      KAFKA_INGEST_TOPICS: `${ingest}=generic`,
      KAFKA_DLQ_TOPIC: dlq,
      KAFKA_LEDGER_TOPIC: ledger,
    });
    const recorder = new MemoryRecorder();
    context = await NestFactory.createApplicationContext(
      application(config, { store, sql }, recorder),
      {
        logger: false,
      },
    );
    const runtime = context.get<KafkaRuntime>(KAFKA_RUNTIME);
    const health = context.get(KafkaHealthIndicator);

    await produce(kafka, ingest, [{ key: 'a', value: deploymentBody(`deploy-${randomUUID()}`) }]);
    await waitFor(() => recorder.recorded.size === 1, 60_000, 'the message recorded');
    await waitFor(
      async () => (await health.isHealthy()).kafka.status === 'up',
      30_000,
      'Kafka healthy',
    );
    expect((await health.isHealthy()).kafka).toMatchObject({
      consumer: 'joined',
      assignedPartitions: 3,
      brokers: 1,
      outbox: { active: true, failingSince: null },
    });

    const streamId = `change-${randomUUID()}`;
    await store.append(streamId, 'no-stream', [
      {
        eventId: randomUUID(),
        type: 'ChangeRequested',
        data: {},
        metadata: {
          actor: 'alice',
          source: 'test',
          correlationId: randomUUID(),
          causationId: null,
          occurredAt: new Date().toISOString(),
          schemaVersion: 1,
        },
      },
    ]);
    const [published] = await readTopic(kafka, ledger, 1);
    expect(published.key?.toString()).toBe(streamId);
    const scraped = await context.get(Metrics).registry.metrics();
    expect(scraped).toContain(
      `ledger_ingest_messages_total{topic="${ingest}",outcome="recorded"} 1`,
    );
    expect(scraped).toContain(`ledger_outbox_events_published_total{topic="${ledger}"} 1`);

    await context.close();
    context = undefined;
    expect(runtime.consumerStatus().state).toBe('stopped');
    expect(runtime.outboxStatus()?.active).toBe(false);
  });
});

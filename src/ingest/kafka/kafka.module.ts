import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { createLogger } from '../../observability/logger';
import { Metrics } from '../../observability/metrics';
import { checkpointFeed } from '../../outbox/checkpoint-feed';
import { CheckpointStore } from '../../ledger/checkpointer/checkpoint-store';
import { LedgerOutbox, ledgerEventFeed, type OutboxFeed } from '../../outbox/ledger-outbox';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { OBSERVATION_RECORDER, type ObservationRecorder } from '../recording/ingest-item';
import { KafkaIngestConsumer } from './ingest-consumer';
import { IngestMetrics } from './ingest-metrics';
import { createKafkaClient } from './kafka-client';
import type { KafkaConfig } from './kafka-config';
import { KAFKA_RUNTIME, KafkaHealthIndicator } from './kafka-health.indicator';
import { KafkaRuntime } from './kafka-runtime';

@Injectable()
class KafkaLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(KAFKA_RUNTIME) private readonly runtime: KafkaRuntime) {}

  onApplicationBootstrap(): Promise<void> {
    return this.runtime.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.runtime.stop();
  }
}

function runtimeProvider(config: KafkaConfig): Provider {
  return {
    provide: KAFKA_RUNTIME,
    inject: [
      APP_CONFIG,
      OBSERVATION_RECORDER,
      EVENT_STORE,
      SQL_CLIENT,
      Metrics,
      { token: CheckpointStore, optional: true },
    ],
    useFactory: (
      app: AppConfig,
      recorder: ObservationRecorder,
      store: EventStore,
      sql: SqlClient,
      metrics: Metrics,
      checkpoints: CheckpointStore | undefined,
    ) => {
      const logger = createLogger(app.logLevel);
      const kafka = createKafkaClient(config, logger);
      const consumer = new KafkaIngestConsumer({
        kafka,
        config,
        recorder,
        logger,
        metrics: new IngestMetrics(metrics.registry, metrics.ingestConflicts),
        backoff: app.retryBackoff,
        sessionTimeoutMs: config.sessionTimeoutMs,
        // kafkajs advises a third of the session at most.
        heartbeatIntervalMs: Math.min(3000, Math.floor(config.sessionTimeoutMs / 3)),
      });
      // Ledger events, and the signed checkpoints so that copies live outside the database.
      const feeds: OutboxFeed[] = [ledgerEventFeed(store)];
      if (checkpoints) feeds.push(checkpointFeed(checkpoints, app.transparency.origin));
      const outboxes = config.outbox
        ? feeds.map(
            (feed) =>
              new LedgerOutbox({
                kafka,
                topic: config.ledgerTopic,
                feed,
                sql,
                logger,
                registry: metrics.registry,
                backoff: app.retryBackoff,
              }),
          )
        : [];
      return new KafkaRuntime(kafka, consumer, outboxes, logger);
    },
  };
}

/**
 * Kafka ingest and the ledger outbox, started with the application and stopped with it.
 * Given null (KAFKA_BROKERS unset) it only provides the health indicator, which then reports
 * Kafka as not configured. Needs OBSERVATION_RECORDER from a global module or from `imports`.
 */
@Global()
@Module({})
export class KafkaModule {
  static forRoot(
    config: KafkaConfig | null,
    imports: NonNullable<ModuleMetadata['imports']> = [],
  ): DynamicModule {
    return {
      module: KafkaModule,
      imports: [TerminusModule, ...(config === null ? [] : imports)],
      providers: [
        config === null ? { provide: KAFKA_RUNTIME, useValue: null } : runtimeProvider(config),
        ...(config === null ? [] : [KafkaLifecycle]),
        KafkaHealthIndicator,
      ],
      exports: [KafkaHealthIndicator],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module';
import { ChangesModule } from './changes/changes.module';
import { ComplianceModule } from './compliance/compliance.module';
import { Clock } from './common/clock';
import { ClockModule } from './common/clock.module';
import type { AppConfig } from './config/config';
import { DeliveryModule } from './delivery/delivery.module';
import { FreezesModule } from './freezes/freezes.module';
import { EvidenceModule } from './evidence/evidence.module';
import { ProblemFilter } from './http/problem.filter';
import { IdempotencyKeyInterceptor } from './http/idempotency/idempotency-key.interceptor';
import { IdempotencyKeys } from './http/idempotency/idempotency-keys';
import { RequestInputPipe } from './http/request-input.pipe';
import { IncidentsModule } from './incidents/incidents.module';
import { IngestModule } from './ingest/ingest.module';
import { HealthModule } from './health/health.module';
import { KafkaModule } from './ingest/kafka/kafka.module';
import { LedgerModule } from './ledger/ledger.module';
import { ObservabilityModule } from './observability/observability.module';
import { PolicyModule } from './policy/policy.module';
import { ProjectionsModule } from './projections/projections.module';
import { projectionsFor } from './read-models';
import { ServicesModule } from './services/services.module';
import { StorageModule } from './storage/storage.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock: Clock = new Clock()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        ClockModule.forRoot(clock),
        StorageModule.forRoot(config),
        ObservabilityModule,
        PolicyModule.forRoot(config),
        AuthModule,
        ChangesModule,
        FreezesModule,
        ComplianceModule,
        IngestModule,
        KafkaModule.forRoot(config.kafka, [IngestModule]),
        LedgerModule,
        ProjectionsModule.forRoot(projectionsFor(config)),
        ServicesModule,
        IncidentsModule,
        DeliveryModule,
        EvidenceModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useClass: RequestInputPipe },
        IdempotencyKeys,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyKeyInterceptor },
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module';
import { ChangesModule } from './changes/changes.module';
import type { AppConfig } from './config/config';
import { ProblemFilter } from './http/problem.filter';
import { strictValidationPipe } from './http/validation';
import { IngestModule } from './ingest/ingest.module';
import { LedgerModule } from './ledger/ledger.module';
import { ObservabilityModule } from './observability/observability.module';
import { ProjectionsModule } from './projections/projections.module';
import { StorageModule } from './storage/storage.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        StorageModule.forRoot(config),
        ObservabilityModule,
        AuthModule,
        ChangesModule,
        IngestModule,
        LedgerModule,
        ProjectionsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: strictValidationPipe },
      ],
    };
  }
}

import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Projection } from '../ledger/projection';
import { ProjectionsController } from './api/projections.controller';
import { ReadModelLagInterceptor } from './api/read-model-lag.interceptor';
import { PROJECTIONS, ProjectionRegistry } from './projection-registry';

/** Runs the read models the application root hands it (src/read-models.ts). */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(projections: readonly Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      controllers: [ProjectionsController],
      providers: [
        { provide: PROJECTIONS, useValue: projections },
        ProjectionRegistry,
        { provide: APP_INTERCEPTOR, useClass: ReadModelLagInterceptor },
      ],
      exports: [ProjectionRegistry],
    };
  }
}

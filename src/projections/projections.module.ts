import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ProjectionsController } from './api/projections.controller';
import { ReadModelLagInterceptor } from './api/read-model-lag.interceptor';
import { ProjectionRegistry } from './projection-registry';

@Global()
@Module({
  controllers: [ProjectionsController],
  providers: [ProjectionRegistry, { provide: APP_INTERCEPTOR, useClass: ReadModelLagInterceptor }],
  exports: [ProjectionRegistry],
})
export class ProjectionsModule {}

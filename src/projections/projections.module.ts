import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';
import { SQL_CLIENT, type SqlClient } from '../sql/sql-client';
import { changeCatalog } from './change-catalog/change-catalog.projection';
import { ProjectionRunner } from './projection-runner';

const PROJECTIONS = [changeCatalog];

/** Runs every read model's projection for as long as the application runs. */
class ProjectionsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projections');
  private readonly runners: ProjectionRunner[];

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(SQL_CLIENT) sql: SqlClient) {
    this.runners = PROJECTIONS.map(
      (projection) =>
        new ProjectionRunner(store, sql, projection, {
          batchSize: 500,
          idleMs: 100,
          onError: (error) => this.logger.error(`${projection.name}: ${String(error)}`),
        }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}

@Module({ providers: [ProjectionsLifecycle] })
export class ProjectionsModule {}

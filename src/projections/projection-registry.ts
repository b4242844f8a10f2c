import {
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Gauge } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';
import { followerLogging } from '../ledger/follower-logging';
import type { FollowerHealth } from '../ledger/follower-loop';
import { Metrics } from '../observability/metrics';
import { SQL_CLIENT, type SqlClient } from '../sql/sql-client';
import { ProjectionRunner, type ProjectionLag } from '../ledger/projection-runner';
import type { Projection } from '../ledger/projection';

/** The read models to run, composed at the application root. */
export const PROJECTIONS = Symbol('PROJECTIONS');

/** Lag is measured at most this often per projection, however many reads ask. */
const LAG_CACHE_MS = 1000;

export interface ProjectionStatus {
  readonly name: string;
  readonly position: string | null;
  readonly events: number;
  readonly lag: ProjectionLag;
  readonly rebuilding: boolean;
  readonly failingSince: string | null;
  readonly lastError: string | null;
}

/** Runs every read model's projection for as long as the application runs. */
@Injectable()
export class ProjectionRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projections');
  private readonly runners: ReadonlyMap<string, ProjectionRunner>;
  private readonly lags = new Map<string, { at: number; lag: Promise<ProjectionLag> }>();
  private readonly rebuilding = new Set<string>();

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SQL_CLIENT) sql: SqlClient,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PROJECTIONS) projections: readonly Projection[],
    metrics: Metrics,
  ) {
    this.runners = new Map(
      projections.map((projection) => [
        projection.name,
        new ProjectionRunner(store, sql, projection, {
          batchSize: 500,
          idleMs: 100,
          backoff: config.retryBackoff,
          ...followerLogging(projection.name, this.logger),
        }),
      ]),
    );
    const lagOf = (name: string) => this.lag(name);
    const names = [...this.runners.keys()];
    for (const [unit, pick] of [
      ['events', (lag: ProjectionLag) => lag.events],
      ['seconds', (lag: ProjectionLag) => lag.seconds],
    ] as const) {
      new Gauge({
        name: `projection_lag_${unit}`,
        help: `How far each read model is behind the ledger, in ${unit}`,
        labelNames: ['projection'],
        registers: [metrics.registry],
        async collect() {
          for (const name of names) {
            // While the database is down the lag is unknown: no sample rather than a stale one,
            // and the rest of /metrics still answers.
            const lag = await lagOf(name).catch(() => null);
            if (lag === null) this.remove({ projection: name });
            else this.set({ projection: name }, pick(lag));
          }
        },
      });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  lag(name: string): Promise<ProjectionLag> {
    const cached = this.lags.get(name);
    if (cached && Date.now() - cached.at < LAG_CACHE_MS) return cached.lag;
    const lag = this.runner(name).lag();
    this.lags.set(name, { at: Date.now(), lag });
    lag.catch(() => this.lags.delete(name));
    return lag;
  }

  /** Whether a read model's runner runs here, and since when it has been failing. */
  health(name: string): FollowerHealth {
    return this.runner(name).health();
  }

  async status(): Promise<ProjectionStatus[]> {
    return Promise.all(
      [...this.runners.keys()].map(async (name) => {
        const { failingSince, lastError } = this.health(name);
        return {
          name,
          ...(await this.runner(name).checkpoint()),
          lag: await this.lag(name),
          rebuilding: this.rebuilding.has(name),
          failingSince: failingSince?.toISOString() ?? null,
          lastError,
        };
      }),
    );
  }

  /** Starts a rebuild in the background; reads keep being served from the current tables. */
  rebuild(name: string): { started: boolean } {
    const runner = this.runner(name);
    if (this.rebuilding.has(name)) return { started: false };
    this.rebuilding.add(name);
    runner
      .rebuild()
      .then((events) => this.logger.log(`${name}: rebuilt from ${events} events`))
      .catch((error: unknown) => this.logger.error(`${name}: rebuild failed: ${String(error)}`))
      .finally(() => this.rebuilding.delete(name));
    return { started: true };
  }

  private runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new NotFoundException(`no read model named ${JSON.stringify(name)}`);
    return runner;
  }
}

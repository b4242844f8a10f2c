import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '../ledger/event-store';
import { migrate } from '../sql/migrate';
import type { SqlClient } from '../sql/sql-client';
import type { Projection } from './projection';

const CHECKPOINT_MIGRATION = {
  version: 1,
  script: `CREATE TABLE projection_checkpoints (
    projection text PRIMARY KEY,
    position text,
    events bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
};

export interface RunnerOptions {
  readonly batchSize: number;
  readonly idleMs: number;
  readonly onError: (error: unknown) => void;
}

/** Follows the global feed from the projection's stored checkpoint and applies it in batches. */
export class ProjectionRunner {
  private position: string | null = null;
  private stopping = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly projection: Projection,
    private readonly options: RunnerOptions,
  ) {}

  async start(): Promise<void> {
    await migrate(this.sql, 'projection-checkpoints', [CHECKPOINT_MIGRATION]);
    await migrate(this.sql, `projection:${this.projection.name}`, this.projection.migrations);
    const [row] = await this.sql.query<{ position: string | null }>(
      'SELECT position FROM projection_checkpoints WHERE projection = $1',
      [this.projection.name],
    );
    this.position = row?.position ?? null;
    this.stopping = new AbortController();
    this.loop = this.run(this.stopping.signal);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** Applies whatever the feed has now; returns how many events it applied. */
  private async catchUp(): Promise<number> {
    let applied = 0;
    for (;;) {
      const events = await this.store.readAll(this.position, this.options.batchSize);
      if (events.length === 0) return applied;
      const last = events[events.length - 1].position;
      await this.sql.transaction(async (tx) => {
        await this.projection.apply(tx, events);
        await tx.query(
          `INSERT INTO projection_checkpoints (projection, position, events, updated_at)
           VALUES ($1, $2, $3, now())
           ON CONFLICT (projection) DO UPDATE
             SET position = $2, events = projection_checkpoints.events + $3, updated_at = now()`,
          [this.projection.name, last, events.length],
        );
      });
      this.position = last;
      applied += events.length;
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if ((await this.catchUp()) > 0) continue;
      } catch (error) {
        this.options.onError(error);
      }
      await sleep(this.options.idleMs, undefined, { signal }).catch(() => undefined);
    }
  }
}

import { DEFAULT_BACKOFF, type Backoff } from '../common/backoff';
import type { EventStore } from './event-store';
import { FollowerLoop, type FollowerHealth, type FollowerLoopOptions } from './follower-loop';
import type { RecordedEvent } from './ledger-event';
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

/** Lag is counted up to this many events; beyond it the exact number does not help anyone. */
const LAG_COUNT_CAP = 10_000;

export interface RunnerOptions {
  readonly batchSize: number;
  readonly idleMs: number;
  /** Waits between retries while the database fails (default 250 ms doubling to 5 s). */
  readonly backoff?: Backoff;
  readonly onFailure?: FollowerLoopOptions['onFailure'];
  readonly onRecovery?: FollowerLoopOptions['onRecovery'];
}

export interface ProjectionLag {
  /** Events in the ledger the read model has not applied yet (capped at 10,000). */
  readonly events: number;
  /** Age of the oldest event not applied yet; 0 when caught up. */
  readonly seconds: number;
}

/**
 * Follows the global feed from the projection's stored checkpoint and applies it in batches.
 *
 * Each batch commits with the checkpoint it moves, under the projection's advisory lock and
 * only if the checkpoint is still where the batch was read from: with several instances, one
 * applies and the others stand by, and a batch is never applied twice. The lock lives only as
 * long as the batch's transaction, so a lost connection takes nothing with it: the batch is
 * rolled back and applied again, from the checkpoint, once the database answers.
 */
export class ProjectionRunner {
  private readonly loop: FollowerLoop;
  private readonly lockKey: string;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    readonly projection: Projection,
    private readonly options: RunnerOptions,
  ) {
    this.lockKey = `change-ledger:projection:${projection.name}`;
    this.loop = new FollowerLoop(
      async () => ((await this.applyNextBatch()) > 0 ? 0 : options.idleMs),
      {
        backoff: options.backoff ?? DEFAULT_BACKOFF,
        onFailure: options.onFailure ?? (() => undefined),
        onRecovery: options.onRecovery ?? (() => undefined),
      },
    );
  }

  /** Creates or migrates the checkpoint table and the projection's tables. */
  async prepare(): Promise<void> {
    await migrate(this.sql, 'projection-checkpoints', [CHECKPOINT_MIGRATION]);
    await migrate(this.sql, `projection:${this.projection.name}`, this.projection.migrations);
  }

  async start(): Promise<void> {
    await this.prepare();
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Whether it runs, and since when it has been failing to apply the feed. */
  health(): FollowerHealth {
    return this.loop.health();
  }

  async checkpoint(): Promise<{ position: string | null; events: number }> {
    const [row] = await this.sql.query<{ position: string | null; events: string }>(
      'SELECT position, events::text AS events FROM projection_checkpoints WHERE projection = $1',
      [this.projection.name],
    );
    return { position: row?.position ?? null, events: Number(row?.events ?? 0) };
  }

  async lag(now = Date.now()): Promise<ProjectionLag> {
    const { position } = await this.checkpoint();
    const pending = await this.store.readAll(position, LAG_COUNT_CAP);
    if (pending.length === 0) return { events: 0, seconds: 0 };
    return {
      events: pending.length,
      seconds: Math.max(0, (now - Date.parse(pending[0].recordedAt)) / 1000),
    };
  }

  /** Applies whatever the feed holds now, batch by batch; returns how many events it applied. */
  async catchUp(): Promise<number> {
    let applied = 0;
    for (;;) {
      const batch = await this.applyNextBatch();
      if (batch === 0) return applied;
      applied += batch;
    }
  }

  /**
   * Rebuilds the read model from the first event into shadow tables while reads go on against
   * the current ones, then swaps them in within one transaction.
   */
  async rebuild(): Promise<number> {
    const running = this.loop.running;
    if (running) await this.stop();
    try {
      const shadow = `rebuild_${this.projection.name.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`;
      await this.sql.exec(
        [
          `DROP SCHEMA IF EXISTS ${shadow} CASCADE`,
          `CREATE SCHEMA ${shadow}`,
          ...this.projection.tables.map(
            (t) => `CREATE TABLE ${shadow}.${t} (LIKE public.${t} INCLUDING ALL)`,
          ),
        ].join(';\n'),
      );
      let position: string | null = null;
      let applied = 0;
      for (;;) {
        const events = await this.store.readAll(position, this.options.batchSize);
        if (events.length === 0) break;
        await this.sql.transaction(async (tx) => {
          await tx.exec(`SET LOCAL search_path = ${shadow}, public`);
          await this.projection.apply(tx, events);
        });
        position = events[events.length - 1].position;
        applied += events.length;
      }
      await this.sql.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
        for (const table of this.projection.tables) {
          await tx.exec(
            `DROP TABLE public.${table}; ALTER TABLE ${shadow}.${table} SET SCHEMA public`,
          );
        }
        await tx.exec(`DROP SCHEMA ${shadow}`);
        await this.saveCheckpoint(tx, position, applied, 'replace');
      });
      return applied;
    } finally {
      if (running) this.loop.start();
    }
  }

  /**
   * Reads outside the transaction (the embedded database runs one statement at a time), then
   * commits only if no other instance moved the checkpoint meanwhile.
   */
  private async applyNextBatch(): Promise<number> {
    const { position } = await this.checkpoint();
    const events = await this.store.readAll(position, this.options.batchSize);
    if (events.length === 0) return 0;
    const applied = await this.sql.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [this.lockKey],
      );
      if (!locked) return false;
      const [row] = await tx.query<{ position: string | null }>(
        'SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE',
        [this.projection.name],
      );
      if ((row?.position ?? null) !== position) return false;
      await this.projection.apply(tx, events);
      await this.saveCheckpoint(tx, last(events).position, events.length, 'add');
      return true;
    });
    return applied ? events.length : 0;
  }

  private async saveCheckpoint(
    tx: SqlClient,
    position: string | null,
    events: number,
    count: 'add' | 'replace',
  ): Promise<void> {
    const total = count === 'add' ? 'projection_checkpoints.events + $3' : '$3';
    await tx.query(
      `INSERT INTO projection_checkpoints (projection, position, events, updated_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (projection) DO UPDATE SET position = $2, events = ${total}, updated_at = now()`,
      [this.projection.name, position, events],
    );
  }
}

function last(events: readonly RecordedEvent[]): RecordedEvent {
  return events[events.length - 1];
}

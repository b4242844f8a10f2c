import { migrate } from '../sql/migrate';
import type { SqlClient } from '../sql/sql-client';

const OUTBOX_MIGRATIONS = [
  {
    version: 1,
    script: `CREATE TABLE ledger_outbox_checkpoints (
      outbox text PRIMARY KEY,
      position text,
      events bigint NOT NULL DEFAULT 0,
      holder text,
      lease_until timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  },
];

/**
 * Where an outbox is in the global feed, and which instance may publish: the row doubles as a
 * lease, so with several instances one publishes and the others stand by to take over when it
 * stops renewing. Times are the database's, so instances' clocks need not agree.
 */
export class OutboxCheckpoint {
  constructor(
    private readonly sql: SqlClient,
    private readonly outbox: string,
    private readonly holder: string,
    private readonly leaseMs: number,
  ) {}

  async prepare(): Promise<void> {
    await migrate(this.sql, 'ledger-outbox', OUTBOX_MIGRATIONS);
    await this.sql.query(
      'INSERT INTO ledger_outbox_checkpoints (outbox) VALUES ($1) ON CONFLICT DO NOTHING',
      [this.outbox],
    );
  }

  /** Takes or renews the lease; the stored position when we hold it, undefined when another does. */
  async acquire(): Promise<{ position: string | null } | undefined> {
    const [row] = await this.sql.query<{ position: string | null }>(
      `UPDATE ledger_outbox_checkpoints
          SET holder = $2, lease_until = now() + $3::integer * interval '1 millisecond'
        WHERE outbox = $1 AND (holder = $2 OR holder IS NULL OR lease_until < now())
        RETURNING position`,
      [this.outbox, this.holder, this.leaseMs],
    );
    return row;
  }

  /** Moves the position (and renews the lease); false when the lease was lost meanwhile. */
  async advance(position: string, events: number): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE ledger_outbox_checkpoints
          SET position = $3, events = events + $4, updated_at = now(),
              lease_until = now() + $5::integer * interval '1 millisecond'
        WHERE outbox = $1 AND holder = $2
        RETURNING 1`,
      [this.outbox, this.holder, position, events, this.leaseMs],
    );
    return rows.length > 0;
  }

  /** Lets a standby take over at once instead of after the lease runs out. */
  async release(): Promise<void> {
    await this.sql.query(
      `UPDATE ledger_outbox_checkpoints SET holder = NULL, lease_until = NULL
        WHERE outbox = $1 AND holder = $2`,
      [this.outbox, this.holder],
    );
  }
}

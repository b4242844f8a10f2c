import { PgSqlClient } from '../../../src/sql/pg-sql-client';
import { waitFor } from '../../kafka/support/kafka-test-kit';

/**
 * What the ledger and the read models hold, read straight from the database (through a pool
 * that, like the service's, lives through the server restarting under it).
 */
export class LedgerFacts {
  private readonly client: PgSqlClient;

  constructor(connectionString: string) {
    this.client = new PgSqlClient({ connectionString, max: 2 });
  }

  close(): Promise<void> {
    return this.client.close();
  }

  async eventCount(): Promise<number> {
    const rows = await this.client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM ledger_events',
    );
    return rows[0].n;
  }

  async eventIds(): Promise<string[]> {
    const rows = await this.client.query<{ id: string }>(
      'SELECT event_id::text AS id FROM ledger_events',
    );
    return rows.map((row) => row.id);
  }

  /** How many events of this type each stream holds, for the streams named `<prefix>…`. */
  async perStream(type: string, prefix: string): Promise<Map<string, number>> {
    const rows = await this.client.query<{ stream: string; n: number }>(
      `SELECT stream_id AS stream, count(*)::int AS n FROM ledger_events
        WHERE type = $1 AND stream_id LIKE $2 || '%' GROUP BY stream_id`,
      [type, prefix],
    );
    return new Map(rows.map((row) => [row.stream, row.n]));
  }

  /** How many DeploymentObserved events name each deployment id. */
  async observedDeployments(): Promise<Map<string, number>> {
    const rows = await this.client.query<{ id: string; n: number }>(
      `SELECT data->>'deploymentId' AS id, count(*)::int AS n FROM ledger_events
        WHERE type = 'DeploymentObserved' GROUP BY 1`,
    );
    return new Map(rows.map((row) => [row.id, row.n]));
  }

  /** Change ids the change catalog lists as approved. */
  async approvedInCatalog(): Promise<Set<string>> {
    const rows = await this.client.query<{ id: string }>(
      `SELECT change_id::text AS id FROM change_catalog WHERE status = 'approved'`,
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Waits until every read model has applied every event the ledger holds. */
  async readModelsCaughtUp(timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        const total = await this.eventCount();
        const rows = await this.client.query<{ behind: number; models: number }>(
          `SELECT count(*) FILTER (WHERE events < $1)::int AS behind, count(*)::int AS models
             FROM projection_checkpoints`,
          [total],
        );
        return rows[0].models >= 4 && rows[0].behind === 0;
      },
      timeoutMs,
      'every read model to apply the whole ledger',
    );
  }

  /** Position the outbox has published up to (its checkpoint). */
  async outboxEvents(): Promise<number> {
    const rows = await this.client.query<{ n: number }>(
      'SELECT coalesce(sum(events), 0)::int AS n FROM ledger_outbox_checkpoints',
    );
    return rows[0].n;
  }
}

import type { SqlClient } from './sql-client';

export interface Migration {
  readonly version: number;
  readonly script: string;
}

/**
 * Applies a component's pending migrations in order, each in its own transaction. A
 * transaction-scoped advisory lock keeps instances starting together from racing.
 */
export async function migrate(
  client: SqlClient,
  component: string,
  migrations: readonly Migration[],
): Promise<void> {
  await client.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    component text NOT NULL,
    version integer NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
  )`);
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    await client.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('change-ledger:migrate'))`);
      const applied = await tx.query(
        'SELECT 1 FROM schema_migrations WHERE component = $1 AND version = $2',
        [component, migration.version],
      );
      if (applied.length > 0) return;
      await tx.exec(migration.script);
      await tx.query('INSERT INTO schema_migrations (component, version) VALUES ($1, $2)', [
        component,
        migration.version,
      ]);
    });
  }
}

import type { SqlClient } from '../../src/sql/sql-client';

/**
 * Waits (10 s at most) until these read models have applied every event the ledger holds
 * now, so a test reads what its own writes produced.
 */
export async function readModelsCaughtUp(sql: SqlClient, projections: string[]): Promise<void> {
  const [{ n }] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_events');
  for (let i = 0; i < 200; i++) {
    const rows = await sql.query<{ events: number }>(
      'SELECT events::int AS events FROM projection_checkpoints WHERE projection = ANY($1::text[])',
      [projections],
    );
    if (rows.length === projections.length && rows.every((r) => r.events >= n)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${projections.join(', ')} did not catch up within 10 s`);
}

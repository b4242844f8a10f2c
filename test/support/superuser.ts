import { Client } from 'pg';

/**
 * Someone with superuser access rewriting history behind the service's back: a session with
 * ordinary triggers off, so the append-only trigger does not fire.
 */
export async function asSuperuser(
  connectionString: string,
  work: (sql: Client) => Promise<unknown>,
): Promise<void> {
  const sql = new Client({ connectionString });
  await sql.connect();
  try {
    await sql.query('SET session_replication_role = replica');
    await work(sql);
  } finally {
    await sql.end();
  }
}

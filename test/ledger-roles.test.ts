import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { changeRequest } from './support/change-requests';
import { ADMIN_DATABASE_URL, createTestDatabase, type TestDatabase } from './support/postgres';
import { KEYS, RunningApp } from './support/running-app';

/*
 * The database refuses the service's own rewrites: with DATABASE_MIGRATION_URL the events table
 * belongs to a migration role, and the role the service writes with may only insert and read
 * it. Two roles made for this run on the test server (unique names, dropped afterwards).
 */

async function sql<T extends Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

function as(role: string, database: TestDatabase): string {
  const url = new URL(database.connectionString);
  url.username = role;
  url.password = '';
  return url.toString();
}

describe('PostgreSQL with a migration role and a writer role', () => {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const owner = `ledger_owner_${suffix}`;
  const writer = `ledger_writer_${suffix}`;
  let db: TestDatabase;
  let app: RunningApp;
  let changeId: string;

  beforeAll(async () => {
    await sql(ADMIN_DATABASE_URL, `CREATE ROLE ${owner} LOGIN; CREATE ROLE ${writer} LOGIN`);
    db = await createTestDatabase('roles');
    // Both create tables: the owner the ledger's, the writer its read models'.
    await sql(db.connectionString, `GRANT CREATE ON SCHEMA public TO ${owner}, ${writer}`);
    app = await RunningApp.start({
      EVENT_STORE: 'postgres',
      DATABASE_URL: as(writer, db),
      DATABASE_MIGRATION_URL: as(owner, db),
    });
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: changeRequest(),
    });
    expect(created.status).toBe(201);
    changeId = created.body.changeId;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await sql(ADMIN_DATABASE_URL, `DROP ROLE IF EXISTS ${owner}; DROP ROLE IF EXISTS ${writer}`);
  });

  it('records changes as the writer, in an events table the migration role owns', async () => {
    const [table] = await sql<{ owner: string }>(
      db.connectionString,
      "SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = 'ledger_events'::regclass",
    );
    expect(table.owner).toBe(owner);
    const [grants] = await sql<{ privileges: string[] }>(
      db.connectionString,
      `SELECT array_agg(privilege_type::text ORDER BY privilege_type) AS privileges
         FROM information_schema.role_table_grants WHERE table_name = 'ledger_events' AND grantee = $1`,
      [writer],
    );
    expect(grants.privileges).toEqual(['INSERT', 'SELECT']);
  });

  it('refuses to start with a writer that could rewrite events (here a superuser)', async () => {
    await expect(
      RunningApp.start({
        EVENT_STORE: 'postgres',
        DATABASE_URL: db.connectionString,
        DATABASE_MIGRATION_URL: as(owner, db),
      }),
    ).rejects.toThrow(/DATABASE_URL's role .* can still update, delete or truncate ledger_events/);
  });

  describe('with the append-only triggers dropped', () => {
    beforeAll(async () => {
      await sql(
        db.connectionString,
        `DROP TRIGGER ledger_events_no_update_delete ON ledger_events;
         DROP TRIGGER ledger_events_no_truncate ON ledger_events`,
      );
    });

    it.each([
      ['UPDATE', `UPDATE ledger_events SET metadata = jsonb_set(metadata, '{actor}', '"mallory"')`],
      ['DELETE', 'DELETE FROM ledger_events'],
      ['TRUNCATE', 'TRUNCATE ledger_events'],
    ])('%s by the writer still fails: it lacks the privilege', async (_, statement) => {
      await expect(sql(as(writer, db), statement)).rejects.toMatchObject({
        code: '42501',
        message: 'permission denied for table ledger_events',
      });
      const verdict = await app.call<{ intact: boolean; events: number }>(
        'GET',
        `/changes/${changeId}/verify`,
        { key: KEYS.audrey },
      );
      expect(verdict.body).toMatchObject({ intact: true, events: 2 });
    });

    it('the writer can still append', async () => {
      const created = await app.call('POST', '/changes', {
        key: KEYS.alice,
        body: changeRequest({ title: `Another ${randomUUID()}` }),
      });
      expect(created.status).toBe(201);
    });
  });
});

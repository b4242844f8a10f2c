import { SQL_CLIENT, type SqlClient } from '../src/sql/sql-client';
import { createTestDatabase, type TestDatabase } from './support/postgres';
import { KEYS, RunningApp } from './support/running-app';

interface Status {
  name: string;
  events: number;
  rebuilding: boolean;
  lag: { events: number; seconds: number };
}

function request(title: string, type = 'normal') {
  return {
    title,
    description: 'projection test',
    type,
    ...(type === 'standard' ? { templateId: 'routine' } : {}),
    category: 'application',
    services: ['catalog-svc'],
    environment: 'production',
    blastRadius: 'low',
    hasDatabaseMigration: false,
  };
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached within 10 s');
}

describe('read model projections on PostgreSQL, two instances', () => {
  let db: TestDatabase;
  let first: RunningApp;
  let second: RunningApp;
  let sql: SqlClient;

  beforeAll(async () => {
    db = await createTestDatabase('projections');
    const env = { EVENT_STORE: 'postgres', DATABASE_URL: db.connectionString };
    first = await RunningApp.start(env);
    second = await RunningApp.start(env);
    sql = first.app.get<SqlClient>(SQL_CLIENT);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await db?.drop();
  });

  const status = async (app: RunningApp) =>
    (await app.call<Status[]>('GET', '/admin/projections', { key: KEYS.audrey })).body.find(
      (s) => s.name === 'change-catalog',
    ) as Status;
  const catalog = () =>
    sql
      .query('SELECT * FROM change_catalog ORDER BY change_id')
      .then((rows) => JSON.stringify(rows));
  const feedSize = async () =>
    Number((await sql.query<{ n: string }>('SELECT count(*)::text AS n FROM ledger_events'))[0].n);

  it('applies every event exactly once while both instances run the projection', async () => {
    const writes = [];
    for (let i = 0; i < 20; i++) {
      const app = i % 2 === 0 ? first : second;
      writes.push(
        app.call('POST', '/changes', {
          key: KEYS.alice,
          body: request(`change ${i}`, i % 3 === 0 ? 'standard' : 'normal'),
        }),
      );
    }
    expect((await Promise.all(writes)).every((r) => r.status === 201)).toBe(true);
    const total = await feedSize();
    const caughtUp = await until(
      () => status(first),
      (s) => s.lag.events === 0,
    );
    expect(caughtUp.events).toBe(total);
    const rows = await sql.query<{ status: string }>('SELECT status FROM change_catalog');
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => r.status === 'approved')).toHaveLength(7);
  });

  it('says how far behind a read is in the response headers', async () => {
    const response = await fetch(`${first.baseUrl}/changes`, {
      headers: { authorization: `Bearer ${KEYS.audrey}` },
    });
    expect(response.headers.get('x-read-model-lag-events')).toMatch(/^\d+$/);
    expect(response.headers.get('x-read-model-lag-seconds')).toMatch(/^\d+\.\d{3}$/);
    const metrics = await first.call<string>('GET', '/metrics');
    expect(metrics.body).toMatch(/projection_lag_events\{projection="change-catalog"\} \d+/);
  });

  it('rebuilds from zero into exactly the tables incremental projection built, without stopping reads', async () => {
    const incremental = await catalog();
    expect(
      (await first.call('POST', '/admin/projections/change-catalog/rebuild', { key: KEYS.audrey }))
        .status,
    ).toBe(403);
    const started = await first.call('POST', '/admin/projections/change-catalog/rebuild', {
      key: KEYS.root,
    });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ started: true });
    const listed = await first.call<{ items: unknown[] }>('GET', '/changes?limit=200', {
      key: KEYS.audrey,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.length).toBeGreaterThan(0);
    const done = await until(
      () => status(first),
      (s) => !s.rebuilding,
    );
    expect(done.events).toBe(await feedSize());
    expect(await catalog()).toBe(incremental);
    expect(
      (await first.call('POST', '/admin/projections/nothing/rebuild', { key: KEYS.root })).status,
    ).toBe(404);
  });

  it('keeps projecting after a rebuild', async () => {
    await second.call('POST', '/changes', { key: KEYS.alice, body: request('after the rebuild') });
    await until(
      () => sql.query('SELECT 1 FROM change_catalog'),
      (rows) => rows.length === 21,
    );
  });
});

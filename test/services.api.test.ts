import { EVENT_STORE, type EventStore } from '../src/ledger/event-store';
import { SQL_CLIENT, type SqlClient } from '../src/sql/sql-client';
import { readModelsCaughtUp } from './support/read-models';
import { createTestDatabase, type TestDatabase } from './support/postgres';
import { KEYS, RunningApp } from './support/running-app';

interface Related {
  service: string;
  depth: number;
  path: string[];
  owner: string;
}
interface Graph {
  service: string;
  depth: number;
  services: Related[];
}

describe('service catalog and dependency graph over HTTP (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let sql: SqlClient;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase('services');
    app = await RunningApp.start({ EVENT_STORE: 'postgres', DATABASE_URL: db.connectionString });
    sql = app.app.get<SqlClient>(SQL_CLIENT);
    store = app.app.get<EventStore>(EVENT_STORE);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const register = (name: string, dependsOn: string[] = [], owner = 'shop', tier = 2) =>
    app.call('POST', '/services', { key: KEYS.root, body: { name, owner, tier, dependsOn } });
  const update = (name: string, dependsOn: string[], owner = 'shop', tier = 2) =>
    app.call('PUT', `/services/${name}`, { key: KEYS.root, body: { owner, tier, dependsOn } });

  /** Reads come from the service-graph read model: wait until it has applied the whole ledger. */
  const caughtUp = () => readModelsCaughtUp(sql, ['service-graph']);

  const graph = async (name: string, direction: string, depth?: number) => {
    await caughtUp();
    const query = depth === undefined ? '' : `?depth=${depth}`;
    return app.call<Graph>('GET', `/services/${name}/${direction}${query}`, { key: KEYS.audrey });
  };

  // web → checkout → payments → ledger
  //        checkout → inventory ← search
  beforeAll(async () => {
    for (const [name, deps] of [
      ['ledger', []],
      ['inventory', []],
      ['payments', ['ledger']],
      ['checkout', ['payments', 'inventory']],
      ['web', ['checkout']],
      ['search', ['inventory']],
    ] as const) {
      expect((await register(name, [...deps])).status).toBe(201);
    }
  });

  it('records registrations and updates in the ledger, on the one catalog stream', async () => {
    const changed = await update('search', ['inventory'], 'discovery', 3);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      service: { name: 'search', owner: 'discovery', tier: 3, dependsOn: ['inventory'] },
      recorded: true,
    });
    const again = await update('search', ['inventory'], 'discovery', 3);
    expect(again.body).toMatchObject({ recorded: false });
    const events = await store.readStream('catalog-services');
    expect(events.map((e) => e.type)).toEqual([
      ...Array<string>(6).fill('ServiceRegistered'),
      'ServiceUpdated',
    ]);
    expect(events[6].data).toMatchObject({ name: 'search', owner: 'discovery', updatedBy: 'root' });
    expect(events[6].metadata.actor).toBe('root');
  });

  it('answers what one service is and lists them by team', async () => {
    await caughtUp();
    const one = await app.call('GET', '/services/checkout', { key: KEYS.audrey });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      name: 'checkout',
      owner: 'shop',
      tier: 2,
      dependsOn: ['inventory', 'payments'],
    });
    const discovery = await app.call<{ items: Array<{ name: string }> }>(
      'GET',
      '/services?owner=discovery',
      { key: KEYS.alice },
    );
    expect(discovery.body.items.map((s) => s.name)).toEqual(['search']);
    const all = await app.call<{ items: unknown[] }>('GET', '/services', { key: KEYS.ci });
    expect(all.body.items).toHaveLength(6);
    expect((await app.call('GET', '/services/nothing', { key: KEYS.audrey })).status).toBe(404);
  });

  it('walks upstream to the depth asked, with a shortest path to each service', async () => {
    const direct = await graph('web', 'upstream', 1);
    expect(direct.body.services.map((s) => [s.service, s.depth])).toEqual([['checkout', 1]]);
    const all = await graph('web', 'upstream');
    expect(all.body.depth).toBe(10);
    expect(all.body.services).toEqual([
      { service: 'checkout', depth: 1, path: ['web', 'checkout'], owner: 'shop', tier: 2 },
      {
        service: 'inventory',
        depth: 2,
        path: ['web', 'checkout', 'inventory'],
        owner: 'shop',
        tier: 2,
      },
      {
        service: 'payments',
        depth: 2,
        path: ['web', 'checkout', 'payments'],
        owner: 'shop',
        tier: 2,
      },
      {
        service: 'ledger',
        depth: 3,
        path: ['web', 'checkout', 'payments', 'ledger'],
        owner: 'shop',
        tier: 2,
      },
    ]);
    expect((await graph('web', 'upstream', 2)).body.services.map((s) => s.service)).toEqual([
      'checkout',
      'inventory',
      'payments',
    ]);
  });

  it('walks downstream: what breaks when a service breaks', async () => {
    const users = await graph('inventory', 'downstream');
    expect(users.body.services.map((s) => [s.service, s.depth, s.path.join('>')])).toEqual([
      ['checkout', 1, 'inventory>checkout'],
      ['search', 1, 'inventory>search'],
      ['web', 2, 'inventory>checkout>web'],
    ]);
    expect((await graph('web', 'downstream')).body.services).toEqual([]);
    expect((await graph('nothing', 'downstream')).status).toBe(404);
    expect((await graph('web', 'upstream', 11)).status).toBe(400);
  });

  it('refuses a dependency that would close a cycle, naming the loop', async () => {
    const refused = await update('ledger', ['web']);
    expect(refused.status).toBe(422);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'dependency-cycle',
      cycle: ['ledger', 'web', 'checkout', 'payments', 'ledger'],
    });
    expect(refused.body.detail).toContain('ledger → web → checkout → payments → ledger');
    expect((await update('web', ['web'])).body).toMatchObject({ cycle: ['web', 'web'] });
  });

  it('lets only one of two concurrent updates through when together they would close a cycle', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = [`race-a-${round}`, `race-b-${round}`];
      await register(a);
      await register(b);
      const outcomes = await Promise.all([update(a, [b]), update(b, [a])]);
      expect(outcomes.map((o) => o.status).sort()).toEqual([200, 422]);
    }
    await caughtUp();
    // Whatever the interleaving, the recorded graph has no cycle: each pair kept one edge.
    const edges = await sql.query<{ service: string }>(
      "SELECT service FROM service_dependencies WHERE service LIKE 'race-%'",
    );
    expect(edges).toHaveLength(5);
  });

  it('refuses the wrong caller, bad input, unknown dependencies and duplicates', async () => {
    const body = { name: 'cart', owner: 'shop', tier: 2, dependsOn: [] };
    expect((await app.call('POST', '/services', { key: KEYS.alice, body })).status).toBe(403);
    expect((await app.call('POST', '/services', { body })).status).toBe(401);
    const bad = await app.call('POST', '/services', {
      key: KEYS.root,
      body: { ...body, name: 'Cart!', tier: 7, colour: 'red' },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([
      'colour',
      'name',
      'tier',
    ]);
    const unknown = await register('cart', ['checkout', 'wishlist']);
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown-dependency' });
    expect(unknown.body.detail).toContain('wishlist');
    expect((await register('web')).status).toBe(409);
    expect((await update('cart', [])).status).toBe(404);
  });

  it('keeps a retried registration to one event with an Idempotency-Key', async () => {
    const call = () =>
      app.call('POST', '/services', {
        key: KEYS.root,
        body: { name: 'once', owner: 'shop', tier: 4, dependsOn: [] },
        headers: { 'idempotency-key': 'register-once' },
      });
    expect((await call()).body).toMatchObject({ recorded: true });
    expect((await call()).body).toMatchObject({ recorded: false, service: { name: 'once' } });
    const events = await store.readStream('catalog-services');
    expect(events.filter((e) => e.data.name === 'once')).toHaveLength(1);
  });
});

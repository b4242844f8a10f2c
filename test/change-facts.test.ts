import { ChangeFactsReader } from '../src/delivery/change-facts.reader';
import { ANYTIME_POLICY } from '../src/changes/domain/fixtures/decision-context';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import type { ChangeFacts } from '../src/policy/risk/change-facts';
import { ProjectionRunner } from '../src/ledger/projection-runner';
import { projectionsFor } from '../src/read-models';
import { ServiceCatalogQueries } from '../src/services/read-model/service-catalog-queries';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import { createTestDatabase, type TestDatabase } from './support/postgres';

/**
 * The risk facts of requests assessed at the same time are read together, one batch of
 * statements for all: each request must still get exactly what it gets when asked alone.
 */
describe('risk facts read in batches (PostgreSQL)', () => {
  let database: TestDatabase;
  let sql: PgSqlClient;
  let store: SqlEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('change_facts');
    sql = new PgSqlClient({ connectionString: database.connectionString });
    store = await SqlEventStore.open('postgres', sql);
    for (const projection of projectionsFor({ whatChangedWindowHours: 4 })) {
      await new ProjectionRunner(store, sql, projection, { batchSize: 1, idleMs: 1 }).prepare();
    }
    // checkout ← cart ← web; payments ← checkout; search alone.
    const services: Array<[string, number, string[]]> = [
      ['payments', 1, []],
      ['checkout', 1, ['payments']],
      ['cart', 2, ['checkout']],
      ['web', 3, ['cart']],
      ['search', 2, []],
    ];
    for (const [name, tier, dependsOn] of services) {
      await sql.query(
        `INSERT INTO service_catalog (name, owner, tier, depends_on, registered_at, updated_at)
         VALUES ($1, 'team', $2, $3, now(), now())`,
        [name, tier, dependsOn],
      );
      for (const dependency of dependsOn) {
        await sql.query('INSERT INTO service_dependencies (service, depends_on) VALUES ($1, $2)', [
          name,
          dependency,
        ]);
      }
    }
    // Deploys in the look-back period: two of checkout in production (one rolled back), one
    // of checkout in staging, one of search in production long ago.
    const deploys: Array<[string, string, string, string | null, string | null]> = [
      ['d1', 'checkout', 'production', '2025-03-01T10:00:00Z', null],
      ['d2', 'checkout', 'production', null, '2025-03-02T10:00:00Z'],
      ['d3', 'checkout', 'staging', '2025-03-03T10:00:00Z', null],
      ['d4', 'search', 'production', '2024-01-01T10:00:00Z', null],
    ];
    for (const [key, service, environment, deployedAt, rolledBackAt] of deploys) {
      await sql.query(
        `INSERT INTO deployment_timeline (deployment_key, service, environment, unplanned,
           started_at, deployed_at, rolled_back_at)
         VALUES ($1, $2, $3, false,
                 COALESCE($4::timestamptz, $5::timestamptz) - interval '1 minute',
                 $4::timestamptz, $5::timestamptz)`,
        [key, service, environment, deployedAt, rolledBackAt],
      );
    }
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const asked: Array<[string[], string, string]> = [
    [['checkout'], 'production', '2025-03-10T00:00:00Z'],
    [['checkout', 'search'], 'staging', '2025-03-10T00:00:00Z'],
    [['payments'], 'production', '2025-03-10T00:00:00Z'],
    [['web'], 'production', '2025-03-10T00:00:00Z'],
    [['checkout'], 'production', '2025-03-01T12:00:00Z'],
    [['unknown', 'search'], 'production', '2025-03-10T00:00:00Z'],
  ];

  it('answers each of many requests at once as it answers it alone', async () => {
    const reader = () => new ChangeFactsReader(sql, new ServiceCatalogQueries(sql));
    const ask = (facts: ChangeFactsReader, [services, environment, at]: (typeof asked)[number]) =>
      facts.factsFor(ANYTIME_POLICY.document, services, environment, at);
    const alone: ChangeFacts[] = [];
    for (const question of asked) alone.push(await ask(reader(), question));
    const together = await Promise.all(asked.map((question) => ask(reader(), question)));
    const shared = reader();
    const batched = await Promise.all(asked.map((question) => ask(shared, question)));
    expect(together).toEqual(alone);
    expect(batched).toEqual(alone);
    // And what alone answers is right: payments is depended on by checkout (1), cart (2),
    // web (3); checkout in production had two deploys, one failed, before 10 March.
    expect(alone[2].downstream.map((d) => [d.name, d.depth])).toEqual([
      ['checkout', 1],
      ['cart', 2],
      ['web', 3],
    ]);
    expect(alone[0].history).toMatchObject({ deployments: 2, failed: 1 });
    expect(alone[4].history).toMatchObject({ deployments: 1, failed: 0 });
    expect(alone[1].history).toMatchObject({ deployments: 1, failed: 0 });
    expect(alone[5].services).toEqual([
      { name: 'unknown', tier: null },
      { name: 'search', tier: 2 },
    ]);
    expect(alone[3].downstream).toEqual([]);
  });
});

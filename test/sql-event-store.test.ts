import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import { PGliteSqlClient } from '../src/sql/pglite-sql-client';
import { describeEventStoreConformance } from './event-store.conformance';
import {
  createPGliteDirectory,
  createTestDatabase,
  type TempDirectory,
  type TestDatabase,
} from './support/postgres';

describe('SqlEventStore on PostgreSQL (a fresh database)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('sql_store');
  });

  afterAll(async () => {
    await database?.drop();
  });

  describeEventStoreConformance('PostgreSQL', () =>
    SqlEventStore.open(
      'postgres',
      new PgSqlClient({ connectionString: database.connectionString }),
    ),
  );
});

describe('SqlEventStore on embedded PGlite (a temporary directory)', () => {
  let directory: TempDirectory;

  beforeAll(async () => {
    directory = await createPGliteDirectory('pglite-store');
  });

  afterAll(async () => {
    await directory?.remove();
  });

  describeEventStoreConformance('PGlite', async () =>
    SqlEventStore.open('pglite', await PGliteSqlClient.open(directory.path)),
  );
});

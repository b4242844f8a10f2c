import { randomUUID } from 'node:crypto';
import { WrongExpectedRevision } from '../src/ledger/ledger-errors';
import { metadataFor, proposeEvent } from '../src/ledger/propose-event';
import { verifyStream } from '../src/ledger/verification/verify-stream';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import { PGliteSqlClient } from '../src/sql/pglite-sql-client';
import { describeEventStoreConformance } from './event-store.conformance';
import { CountingSqlClient } from './support/counting-sql-client';
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

describe('SqlEventStore group commit (PostgreSQL)', () => {
  let database: TestDatabase;
  let sql: CountingSqlClient;
  let store: SqlEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('group_commit');
    sql = new CountingSqlClient(new PgSqlClient({ connectionString: database.connectionString }));
    store = await SqlEventStore.open('postgres', sql);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const event = (label: string) =>
    proposeEvent(
      randomUUID(),
      'GroupCommitProbe',
      { label },
      metadataFor('tester', new Date().toISOString(), { source: 'test', correlationId: 'c' }),
    );
  const inserts = () => sql.tally.byTable.get('INSERT INTO ledger_events') ?? 0;

  it('writes concurrent appends in a few statements, each settled on its own stream', async () => {
    const taken = `group-taken-${randomUUID()}`;
    await store.append(taken, 'no-stream', [event('first')]);
    const before = inserts();
    const streams = Array.from({ length: 30 }, (_, i) => `group-${i}-${randomUUID()}`);
    const settled = await Promise.allSettled([
      ...streams.map((streamId) => store.append(streamId, 'no-stream', [event(streamId)])),
      // Decided on a stale state: refused alone, the others of its batch written.
      store.append(taken, 'no-stream', [event('stale')]),
      store.append(taken, 0, [event('second')]),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      ...streams.map(() => 'fulfilled'),
      'rejected',
      'fulfilled',
    ]);
    const refused = (settled[30] as PromiseRejectedResult).reason as WrongExpectedRevision;
    expect(refused).toBeInstanceOf(WrongExpectedRevision);
    expect(refused.actual).toBe(0);
    // The first append goes at once; the rest wait for it and go together (a refusal in a
    // batch costs that batch one more insert).
    expect(inserts() - before).toBeLessThanOrEqual(4);
    for (const streamId of [...streams, taken]) {
      const stored = await store.readStream(streamId);
      expect(verifyStream(streamId, stored).intact).toBe(true);
    }
    expect((await store.readStream(taken)).map((e) => e.data.label)).toEqual(['first', 'second']);
  });

  it('reads concurrent whole streams in one statement, each its own events', async () => {
    const streams = Array.from({ length: 3 }, () => `group-read-${randomUUID()}`);
    for (const [i, streamId] of streams.entries()) {
      await store.append(
        streamId,
        'no-stream',
        Array.from({ length: i + 1 }, (_, n) => event(`${streamId}-${n}`)),
      );
    }
    await store.readStream(streams[0]);
    const before = sql.statements;
    const reads = await Promise.all([...streams, streams[0]].map((s) => store.readStream(s)));
    expect(sql.statements - before).toBeLessThanOrEqual(2);
    expect(reads.map((events) => events.length)).toEqual([1, 2, 3, 1]);
    expect(reads.map((events) => events.every((e, n) => e.revision === n))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(reads[3]).toEqual(reads[0]);
    expect(reads[3]).not.toBe(reads[0]);
  });
});

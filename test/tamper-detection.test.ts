import type { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { hashEnvelope } from '../src/ledger/hash-chain';
import type { ProposedEvent, RecordedEvent } from '../src/ledger/ledger-event';
import { verifyLog } from '../src/ledger/verification/verify-log';
import { verifyStream, type BrokenLink } from '../src/ledger/verification/verify-stream';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import { createTestDatabase, type TestDatabase } from './support/postgres';
import { asSuperuser } from './support/superuser';

/*
 * Someone with superuser access rewrites history behind the application's back, bypassing
 * the append-only trigger. The chain cannot prevent that; it must make it evident, and point
 * at the exact event. Each case gets its own database so the first break found is its own.
 */

const A = 'change-a';
const B = 'change-b';
const C = 'change-c';

let database: TestDatabase;
let store: SqlEventStore;
/** What the application appended, by "stream@revision". */
let appended: Map<string, RecordedEvent>;

beforeEach(async () => {
  database = await createTestDatabase('tamper');
  store = await SqlEventStore.open(
    'postgres',
    new PgSqlClient({ connectionString: database.connectionString }),
  );
  appended = new Map();
  const append = async (streamId: string, expected: 'no-stream' | number, count: number) => {
    const result = await store.append(streamId, expected, events(count));
    for (const event of result.events) appended.set(`${event.streamId}@${event.revision}`, event);
  };
  // Interleaved, single events and batches: A has 5 events, B 4, C 3.
  await append(A, 'no-stream', 1);
  await append(B, 'no-stream', 2);
  await append(A, 0, 2);
  await append(C, 'no-stream', 1);
  await append(B, 1, 1);
  await append(A, 2, 1);
  await append(C, 0, 2);
  await append(B, 2, 1);
  await append(A, 3, 1);
});

afterEach(async () => {
  await store?.close();
  await database?.drop();
});

function events(count: number): ProposedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    type: 'ApprovalGranted',
    data: { approver: `approver-${i}`, comment: `looks good (${randomUUID()})` },
    metadata: {
      actor: 'bob',
      source: 'api',
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  }));
}

function original(key: string): RecordedEvent {
  const event = appended.get(key);
  if (!event) throw new Error(`nothing appended at ${key}`);
  return event;
}

const tamper = (work: (sql: Client) => Promise<unknown>) =>
  asSuperuser(database.connectionString, work);

async function streamVerdict(streamId: string) {
  return verifyStream(streamId, await store.readStream(streamId));
}

/** The auditor's whole-log check, with a roomy cache and with one that misses every time. */
async function logBreaks(): Promise<[BrokenLink, BrokenLink]> {
  const roomy = await verifyLog(store, { pageSize: 5 });
  const tiny = await verifyLog(store, { pageSize: 2, streamCacheSize: 1 });
  if (roomy.intact || tiny.intact) throw new Error('verify-log found the tampered log intact');
  return [roomy.broken, tiny.broken];
}

it('verifies the untouched log as intact', async () => {
  await expect(verifyLog(store, { pageSize: 5 })).resolves.toEqual({
    intact: true,
    events: 12,
    streams: 3,
    lastPosition: original(`${A}@4`).position,
  });
  for (const [streamId, count] of [
    [A, 5],
    [B, 4],
    [C, 3],
  ] as const) {
    await expect(streamVerdict(streamId)).resolves.toMatchObject({ intact: true, events: count });
  }
});

it("detects an edited row's data at that event", async () => {
  const target = original(`${B}@2`);
  await tamper((sql) =>
    sql.query(
      `UPDATE ledger_events SET data = jsonb_set(data, '{comment}', '"never approved"')
       WHERE stream_id = $1 AND revision = 2`,
      [B],
    ),
  );
  const [stored] = await store.readStream(B, { fromRevision: 2, limit: 1 });
  const expected: BrokenLink = {
    streamId: B,
    revision: 2,
    position: target.position,
    reason: 'hash-mismatch',
    expectedHash: hashEnvelope(stored),
    foundHash: target.hash,
  };
  await expect(streamVerdict(B)).resolves.toEqual({ intact: false, broken: expected });
  await expect(streamVerdict(A)).resolves.toMatchObject({ intact: true });
  const [roomy, tiny] = await logBreaks();
  expect(roomy).toEqual(expected);
  expect(tiny).toEqual(expected);
});

it('detects an edited and re-hashed row at the next event, whose link no longer holds', async () => {
  const edited = original(`${B}@2`);
  const next = original(`${B}@3`);
  const forgedHash = hashEnvelope({ ...edited, metadata: { ...edited.metadata, actor: 'carol' } });
  await tamper((sql) =>
    sql.query(
      `UPDATE ledger_events SET metadata = jsonb_set(metadata, '{actor}', '"carol"'), hash = $2
       WHERE stream_id = $1 AND revision = 2`,
      [B, forgedHash],
    ),
  );
  const expected: BrokenLink = {
    streamId: B,
    revision: 3,
    position: next.position,
    reason: 'broken-link',
    expectedHash: forgedHash,
    foundHash: edited.hash,
  };
  await expect(streamVerdict(B)).resolves.toEqual({ intact: false, broken: expected });
  const [roomy, tiny] = await logBreaks();
  expect(roomy).toEqual(expected);
  expect(tiny).toEqual(expected);
});

it('detects a deleted middle event as a gap at the event after it', async () => {
  await tamper((sql) =>
    sql.query('DELETE FROM ledger_events WHERE stream_id = $1 AND revision = 2', [A]),
  );
  const after = original(`${A}@3`);
  const expected: BrokenLink = {
    streamId: A,
    revision: 3,
    position: after.position,
    reason: 'revision-gap',
    expectedRevision: 2,
    expectedHash: original(`${A}@1`).hash,
    foundHash: original(`${A}@2`).hash,
  };
  await expect(streamVerdict(A)).resolves.toEqual({ intact: false, broken: expected });
  const [roomy, tiny] = await logBreaks();
  expect(roomy).toEqual(expected);
  expect(tiny).toEqual(expected);
});

it('detects two events whose revisions were swapped', async () => {
  const [first, second] = [original(`${A}@1`), original(`${A}@2`)];
  // Through a spare revision: the unique (stream_id, revision) constraint still holds.
  await tamper(async (sql) => {
    await sql.query(
      'UPDATE ledger_events SET revision = 1000 WHERE stream_id = $1 AND revision = 1',
      [A],
    );
    await sql.query('UPDATE ledger_events SET revision = 1 WHERE stream_id = $1 AND revision = 2', [
      A,
    ]);
    await sql.query(
      'UPDATE ledger_events SET revision = 2 WHERE stream_id = $1 AND revision = 1000',
      [A],
    );
  });

  // Read in revision order, "revision 1" is the old second event: its link skips the first.
  await expect(streamVerdict(A)).resolves.toEqual({
    intact: false,
    broken: {
      streamId: A,
      revision: 1,
      position: second.position,
      reason: 'broken-link',
      expectedHash: original(`${A}@0`).hash,
      foundHash: first.hash,
    },
  });

  // Read in global order, the old first event now claims revision 2 where 1 was due.
  const [roomy, tiny] = await logBreaks();
  expect(roomy).toEqual({
    streamId: A,
    revision: 2,
    position: first.position,
    reason: 'revision-gap',
    expectedRevision: 1,
    expectedHash: original(`${A}@0`).hash,
    foundHash: original(`${A}@0`).hash,
  });
  // With nothing cached, the predecessor read back for revision 2 is the row now labelled 1,
  // the old second event: the same place, seen as a link that does not hold.
  expect(tiny).toEqual({
    streamId: A,
    revision: 2,
    position: first.position,
    reason: 'broken-link',
    expectedHash: second.hash,
    foundHash: original(`${A}@0`).hash,
  });
});

it('detects two events whose data was swapped', async () => {
  const [first, second] = [original(`${C}@0`), original(`${C}@1`)];
  expect(first.data).not.toEqual(second.data);
  // One statement: both rows read the other's data as it was before the update.
  await tamper((sql) =>
    sql.query(
      `UPDATE ledger_events AS e SET data = o.data FROM ledger_events AS o
       WHERE e.stream_id = $1 AND o.stream_id = $1
         AND e.revision IN (0, 1) AND o.revision = 1 - e.revision`,
      [C],
    ),
  );
  const [stored0, stored1] = await store.readStream(C, { limit: 2 });
  expect([stored0.data, stored1.data]).toEqual([second.data, first.data]);
  const expected: BrokenLink = {
    streamId: C,
    revision: 0,
    position: first.position,
    reason: 'hash-mismatch',
    expectedHash: hashEnvelope(stored0),
    foundHash: first.hash,
  };
  await expect(streamVerdict(C)).resolves.toEqual({ intact: false, broken: expected });
  const [roomy, tiny] = await logBreaks();
  expect(roomy).toEqual(expected);
  expect(tiny).toEqual(expected);
});

describe('the append-only trigger, for a normal session', () => {
  const statements = [
    ['UPDATE', `UPDATE ledger_events SET data = '{}'::jsonb WHERE stream_id = '${A}'`],
    ['DELETE', `DELETE FROM ledger_events WHERE stream_id = '${A}' AND revision = 4`],
    ['TRUNCATE', 'TRUNCATE ledger_events'],
  ] as const;

  it.each(statements)('refuses %s, changing nothing', async (operation, statement) => {
    const sql = new PgSqlClient({ connectionString: database.connectionString });
    try {
      await expect(sql.exec(statement)).rejects.toMatchObject({
        code: '42501',
        message: `ledger_events is append-only: ${operation} refused`,
      });
    } finally {
      await sql.close();
    }
    await expect(verifyLog(store)).resolves.toMatchObject({ intact: true, events: 12 });
    expect(await store.readStream(A)).toEqual(
      [0, 1, 2, 3, 4].map((revision) => original(`${A}@${revision}`)),
    );
  });
});

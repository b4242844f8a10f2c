import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { openEventStoreDbStore } from '../src/ledger/adapters/eventstoredb/open-eventstoredb-store';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { parseCheckpointText } from '../src/ledger/checkpoints/checkpoint';
import { ed25519Signer, openNote } from '../src/ledger/checkpoints/note-signatures';
import { CheckpointStore } from '../src/ledger/checkpointer/checkpoint-store';
import {
  Checkpointer,
  InconsistentTree,
  type CheckpointerEvents,
} from '../src/ledger/checkpointer/checkpointer';
import type { LedgerKeys } from '../src/ledger/checkpointer/ledger-keys';
import type { EventStore } from '../src/ledger/event-store';
import type { ProposedEvent, RecordedEvent } from '../src/ledger/ledger-event';
import { eventLeafHash } from '../src/ledger/merkle/ledger-leaf';
import { MemoryTree } from '../src/ledger/merkle/memory-tree';
import { LedgerTree } from '../src/ledger/tree/ledger-tree';
import { ledgerTree } from '../src/ledger/tree/ledger-tree.projection';
import { ProjectionRunner } from '../src/ledger/projection-runner';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import type { SqlClient } from '../src/sql/sql-client';
import { proposed } from './eventstoredb/ledger-store-behaviour';
import { StreamsProtocolTestServer } from './eventstoredb/streams-protocol-test-server';
import { createTestDatabase, type TestDatabase } from './support/postgres';

/*
 * The Merkle tree as the service builds it: following the global feed with the read models'
 * runner, tiles in SQL; and the checkpointer that signs its head. On PostgreSQL, and over
 * EventStoreDB (the protocol test double) with the tree in PostgreSQL beside the read models.
 */

const ORIGIN = 'ledger.test/tree';

const events = (count: number): ProposedEvent[] =>
  Array.from({ length: count }, (_, step) => proposed('DeploymentObserved', { step }));

/** Appends `total` events over a few interleaved streams, in small appends. */
async function appendInterleaved(store: EventStore, total: number, prefix: string): Promise<void> {
  const streams = [`change-${prefix}-a`, `service-${prefix}-b`, `change-${prefix}-c`];
  for (let done = 0, i = 0; done < total; i++) {
    const count = Math.min(1 + (i % 7), total - done);
    await store.append(streams[i % streams.length], 'any', events(count));
    done += count;
  }
}

async function wholeFeed(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (let page = await store.readAll(null, 1000); page.length > 0;) {
    all.push(...page);
    page = await store.readAll(page[page.length - 1].position, 1000);
  }
  return all;
}

function runnerFor(store: EventStore, sql: SqlClient): ProjectionRunner {
  return new ProjectionRunner(store, sql, ledgerTree, {
    batchSize: 97,
    idleMs: 50,
  });
}

/**
 * Applies the feed until the tree holds `size` leaves: the SQL feed shows an event only once
 * every transaction older than it ended, anywhere on the server, so one pass may not see it.
 */
async function grownTo(runner: ProjectionRunner, tree: LedgerTree, size: number): Promise<void> {
  for (let i = 0; i < 200 && (await tree.size()) < size; i++) {
    if ((await runner.catchUp()) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await tree.size()).toBe(size);
}

/** The stored tree gives, for every size asked, the roots and proofs of one built in memory. */
async function expectSameTree(tree: LedgerTree, feed: readonly RecordedEvent[], sizes: number[]) {
  const memory = new MemoryTree();
  feed.forEach((event) => memory.append(eventLeafHash(event)));
  expect(await tree.size()).toBe(feed.length);
  for (const size of sizes) {
    expect(await tree.root(size)).toEqual(memory.root(size));
    for (const index of [0, Math.floor(size / 3), size - 1]) {
      expect(await tree.inclusionProof(index, size)).toEqual(memory.inclusionProof(index, size));
    }
    expect(await tree.consistencyProof(Math.ceil(size / 2), size)).toEqual(
      memory.consistencyProof(Math.ceil(size / 2), size),
    );
  }
  const leaves = await tree.leaves(0, feed.length);
  expect(leaves.map((l) => [l.leafIndex, l.eventId])).toEqual(feed.map((e, i) => [i, e.eventId]));
}

describe('the Merkle tree on PostgreSQL', () => {
  let database: TestDatabase;
  let sql: PgSqlClient;
  let store: SqlEventStore;
  let tree: LedgerTree;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    database = await createTestDatabase('ledger_tree');
    sql = new PgSqlClient({ connectionString: database.connectionString });
    store = await SqlEventStore.open('postgres', sql);
    tree = new LedgerTree(sql);
    runner = runnerFor(store, sql);
    await appendInterleaved(store, 600, 'pg');
    await runner.prepare();
    await grownTo(runner, tree, 600);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('makes the i-th event of the feed leaf i, with the roots and proofs of the same tree in memory', async () => {
    await expectSameTree(tree, await wholeFeed(store), [1, 2, 255, 256, 257, 511, 512, 600]);
  });

  describe('the checkpointer', () => {
    const signer = ed25519Signer(ORIGIN, generateKeyPairSync('ed25519').privateKey);
    const keys: LedgerKeys = {
      signer,
      verifiers: [signer.verifier],
      source: { file: 'test', generated: false },
    };
    const quiet: CheckpointerEvents = {
      signed: () => undefined,
      cosigned: () => undefined,
      witnessFailed: () => undefined,
      failed: () => undefined,
    };
    const checkpoints = () => new CheckpointStore(sql);
    const checkpointer = (everyEvents: number, everySeconds: number, client: SqlClient = sql) =>
      new Checkpointer(
        client,
        new LedgerTree(client, 0),
        new CheckpointStore(client),
        keys,
        { origin: ORIGIN, everyEvents, everySeconds },
        [],
        quiet,
      );

    beforeAll(() => checkpoints().prepare());

    it('signs the tree head as a C2SP checkpoint, then only once N more leaves arrive', async () => {
      const first = await checkpointer(10, 3600).checkpointIfDue();
      expect(first?.treeSize).toBe(600);
      const signed = parseCheckpointText(openNote(first?.note ?? '', [signer.verifier]).text);
      expect(signed).toEqual({ origin: ORIGIN, size: 600, rootHash: await tree.root(600) });

      await appendInterleaved(store, 9, 'more');
      await grownTo(runner, tree, 609);
      await expect(checkpointer(10, 3600).checkpointIfDue()).resolves.toBeNull();
      await appendInterleaved(store, 1, 'tenth');
      await grownTo(runner, tree, 610);
      await expect(checkpointer(10, 3600).checkpointIfDue()).resolves.toMatchObject({
        treeSize: 610,
      });
    });

    it('signs fewer than N new leaves once T seconds passed', async () => {
      await appendInterleaved(store, 2, 'few');
      await grownTo(runner, tree, 612);
      await expect(checkpointer(1000, 1).checkpointIfDue()).resolves.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await expect(checkpointer(1000, 1).checkpointIfDue()).resolves.toMatchObject({
        treeSize: 612,
      });
      // Nothing new: nothing to sign, however long it waits.
      await expect(checkpointer(1000, 1).checkpointIfDue()).resolves.toBeNull();
    });

    it('lets one of two instances sign a size, never both', async () => {
      await appendInterleaved(store, 5, 'race');
      await grownTo(runner, tree, 617);
      const other = new PgSqlClient({ connectionString: database.connectionString });
      try {
        const results = await Promise.all([
          checkpointer(1, 3600).checkpointIfDue(),
          checkpointer(1, 3600, other).checkpointIfDue(),
        ]);
        expect(results.filter((r) => r !== null).map((r) => r?.treeSize)).toEqual([617]);
        expect((await checkpoints().after(612, 10)).map((c) => c.treeSize)).toEqual([617]);
      } finally {
        await other.close();
      }
    });

    it('refuses to sign a tree that no longer gives the last signed root', async () => {
      await appendInterleaved(store, 3, 'tampered');
      await grownTo(runner, tree, 620);
      // A superuser rewrites one leaf hash (leaf 513) under the last signed root.
      const admin = new Client({ connectionString: database.connectionString });
      await admin.connect();
      try {
        await admin.query(
          `UPDATE ledger_tree_tiles SET hashes = overlay(hashes placing '\\x00'::bytea from 33 for 1)
           WHERE level = 0 AND index = 2`,
        );
      } finally {
        await admin.end();
      }
      await expect(checkpointer(1, 3600).checkpointIfDue()).rejects.toBeInstanceOf(
        InconsistentTree,
      );
      expect(await checkpoints().after(617, 10)).toEqual([]);
    });
  });
});

describe('the Merkle tree of an EventStoreDB store (protocol test double), kept in PostgreSQL', () => {
  let server: StreamsProtocolTestServer;
  let database: TestDatabase;
  let sql: PgSqlClient;
  let store: EventStore;

  beforeAll(async () => {
    server = await StreamsProtocolTestServer.start();
    store = await openEventStoreDbStore(server.connectionString);
    database = await createTestDatabase('esdb_tree');
    sql = new PgSqlClient({ connectionString: database.connectionString });
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await sql?.close();
    await database?.drop();
  });

  it('makes the i-th event of $all leaf i', async () => {
    await appendInterleaved(store, 300, randomUUID().slice(0, 8));
    const runner = runnerFor(store, sql);
    const tree = new LedgerTree(sql);
    await runner.prepare();
    await grownTo(runner, tree, 300);
    await expectSameTree(tree, await wholeFeed(store), [1, 256, 257, 300]);
  });
});

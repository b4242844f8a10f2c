import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Registry } from 'prom-client';
import { SqlEventStore } from '../../src/ledger/adapters/sql/sql-event-store';
import type { RecordedEvent } from '../../src/ledger/ledger-event';
import { checkpointFeed } from '../../src/outbox/checkpoint-feed';
import { CheckpointStore } from '../../src/ledger/checkpointer/checkpoint-store';
import { checkpointText } from '../../src/ledger/checkpoints/checkpoint';
import { ed25519Signer } from '../../src/ledger/checkpoints/note-signatures';
import { formatNote } from '../../src/ledger/checkpoints/signed-note';
import { EMPTY_ROOT, leafHash } from '../../src/ledger/merkle/tree-hash';
import { LedgerOutbox, ledgerEventFeed, type OutboxFeed } from '../../src/outbox/ledger-outbox';
import { PgSqlClient } from '../../src/sql/pg-sql-client';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import {
  createTopics,
  highWatermarks,
  readTopic,
  testKafka,
  uniqueName,
  waitFor,
  type ReadMessage,
} from './support/kafka-test-kit';

const kafka = testKafka();

describe('LedgerOutbox on a real broker and a real SqlEventStore (PostgreSQL)', () => {
  let database: TestDatabase;
  let sql: PgSqlClient;
  let store: SqlEventStore;
  const running: LedgerOutbox[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('ledger_outbox');
    sql = new PgSqlClient({ connectionString: database.connectionString });
    store = await SqlEventStore.open('postgres', sql);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((outbox) => outbox.stop()));
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  function outbox(topic: string, feed: OutboxFeed = ledgerEventFeed(store)): LedgerOutbox {
    const created = new LedgerOutbox({
      kafka,
      topic,
      feed,
      sql,
      logger: pino({ level: 'silent' }),
      registry: new Registry(),
      batchSize: 7,
      idleMs: 50,
      leaseMs: 3000,
    });
    running.push(created);
    return created;
  }

  async function append(streams: string[], perStream: number): Promise<void> {
    for (const streamId of streams) {
      await store.append(
        streamId,
        'any',
        Array.from({ length: perStream }, (_, index) => ({
          eventId: randomUUID(),
          type: 'ServiceDeployed',
          data: { version: `1.0.${index}` },
          metadata: {
            actor: 'ci-bot',
            source: 'test',
            correlationId: randomUUID(),
            causationId: null,
            occurredAt: new Date().toISOString(),
            schemaVersion: 1,
          },
        })),
      );
    }
  }

  function header(message: ReadMessage, name: string): string | undefined {
    return message.headers?.[name]?.toString();
  }

  it('publishes every committed event with its key and headers, and a restart republishes nothing acknowledged', async () => {
    const topic = uniqueName('ledger-events');
    await createTopics(kafka, [topic]);
    const streams = [`change-${randomUUID()}`, `service-${randomUUID()}`, `change-${randomUUID()}`];
    await append(streams, 10);

    const first = outbox(topic);
    await first.start();
    const published = await readTopic(kafka, topic, 30);
    const stored = (await store.readAll(null, 1000)).filter((event) =>
      streams.includes(event.streamId),
    );
    expect(stored).toHaveLength(30);
    const byId = new Map(published.map((message) => [header(message, 'eventId'), message]));
    for (const event of stored) {
      const message = byId.get(event.eventId) as ReadMessage;
      expect(message.key?.toString()).toBe(event.streamId);
      expect(JSON.parse(message.value?.toString() ?? '')).toEqual(event);
      expect({
        type: header(message, 'type'),
        streamId: header(message, 'streamId'),
        revision: header(message, 'revision'),
        position: header(message, 'position'),
      }).toEqual({
        type: event.type,
        streamId: event.streamId,
        revision: String(event.revision),
        position: event.position,
      });
    }
    // A stream's events share a partition, in revision order.
    for (const streamId of streams) {
      const ofStream = published.filter((message) => message.key?.toString() === streamId);
      expect(new Set(ofStream.map(({ partition }) => partition)).size).toBe(1);
      expect(ofStream.map((message) => Number(header(message, 'revision')))).toEqual(
        Array.from({ length: 10 }, (_, revision) => revision),
      );
    }
    await first.stop();
    running.splice(running.indexOf(first), 1);

    await append(streams.slice(0, 1), 5);
    const second = outbox(topic);
    await second.start();
    await waitFor(
      async () => (await highWatermarks(kafka, topic)).reduce((a, b) => a + b) >= 35,
      30_000,
      'the new events published',
    );
    await sleep(1000);
    // Exactly the 30 acknowledged before the restart plus the 5 new ones: nothing twice.
    expect((await highWatermarks(kafka, topic)).reduce((a, b) => a + b)).toBe(35);
    const everything = await readTopic(kafka, topic, 35);
    expect(new Set(everything.map((message) => header(message, 'eventId'))).size).toBe(35);
    const [checkpoint] = await sql.query<{ position: string; events: string }>(
      'SELECT position, events FROM ledger_outbox_checkpoints WHERE outbox = $1',
      [topic],
    );
    const last = (await store.readAll(null, 10_000)).at(-1) as RecordedEvent;
    expect(checkpoint).toEqual({ position: last.position, events: '35' });
  });

  it('lets one instance publish while another stands by, and hands over when it stops', async () => {
    const topic = uniqueName('ledger-events');
    await createTopics(kafka, [topic]);
    const active = outbox(topic);
    await active.start();
    await waitFor(() => active.status().active, 10_000, 'the first instance to take the lease');
    const standby = outbox(topic);
    await standby.start();

    // The feed already holds the first test's events: they are published once more, here.
    const before = (await store.readAll(null, 10_000)).length;
    await append([`change-${randomUUID()}`], 4);
    await waitFor(
      async () => (await highWatermarks(kafka, topic)).reduce((a, b) => a + b) === before + 4,
      30_000,
      'the events published',
    );
    expect(standby.status().active).toBe(false);

    await active.stop();
    running.splice(running.indexOf(active), 1);
    await append([`change-${randomUUID()}`], 3);
    await waitFor(
      async () => (await highWatermarks(kafka, topic)).reduce((a, b) => a + b) === before + 7,
      30_000,
      'the standby to publish the new events',
    );
    expect(standby.status().active).toBe(true);
    await sleep(1000);
    const published = await readTopic(kafka, topic, before + 7);
    expect(published).toHaveLength(before + 7);
    expect(new Set(published.map((message) => header(message, 'eventId'))).size).toBe(before + 7);
  });

  it('publishes every signed checkpoint to the same topic, told apart by its type header', async () => {
    const topic = uniqueName('ledger-events');
    await createTopics(kafka, [topic]);
    const origin = 'ledger.test/outbox';
    const signer = ed25519Signer(origin, generateKeyPairSync('ed25519').privateKey);
    const checkpoints = new CheckpointStore(sql);
    await checkpoints.prepare();
    const notes = [0, 3].map((size) => {
      const text = checkpointText({
        origin,
        size,
        rootHash: size === 0 ? EMPTY_ROOT : leafHash(Buffer.from([size])),
      });
      return { size, note: formatNote(text, [signer.sign(text)]) };
    });
    for (const { size, note } of notes) {
      await checkpoints.insert(sql, { treeSize: size, rootHash: EMPTY_ROOT, note, keyId: 'test' });
    }
    const publisher = outbox(topic, checkpointFeed(checkpoints, origin));
    await publisher.start();
    const published = await readTopic(kafka, topic, 2);
    expect(
      published
        .map((message) => ({
          key: message.key?.toString(),
          value: message.value?.toString(),
          type: header(message, 'type'),
          treeSize: header(message, 'treeSize'),
        }))
        .sort((a, b) => Number(a.treeSize) - Number(b.treeSize)),
    ).toEqual(
      notes.map(({ size, note }) => ({
        key: origin,
        value: note,
        type: 'LedgerCheckpoint',
        treeSize: String(size),
      })),
    );
    // Its own checkpoint row, beside the events' one of the same topic.
    const [row] = await sql.query<{ position: string }>(
      'SELECT position FROM ledger_outbox_checkpoints WHERE outbox = $1',
      [`${topic}#checkpoints`],
    );
    expect(row.position).toBe('3');
  });
});

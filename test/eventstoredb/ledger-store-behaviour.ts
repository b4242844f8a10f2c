import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { EventStoreDbEventStore } from '../../src/ledger/adapters/eventstoredb/eventstoredb-event-store';
import { UnreadableLedgerEvent } from '../../src/ledger/adapters/eventstoredb/esdb-event-mapping';
import { openEventStoreDbStore } from '../../src/ledger/adapters/eventstoredb/open-eventstoredb-store';
import { InvalidPosition } from '../../src/ledger/ledger-errors';
import { GENESIS_HASH, hashEnvelope } from '../../src/ledger/hash-chain';
import type { EventMetadata, ProposedEvent, RecordedEvent } from '../../src/ledger/ledger-event';
import {
  DuplicateEventConflict,
  StreamDeleted,
  UnstorableEvent,
  WrongExpectedRevision,
} from '../../src/ledger/ledger-errors';
import type { StreamsProtocolTestServer } from './streams-protocol-test-server';

/** A server to run against: the protocol test double, or a real EventStoreDB. */
export interface EsdbTarget {
  readonly connectionString: () => string;
  /** Present only for the test double: lets a test drop subscriptions or add system records. */
  readonly double?: () => StreamsProtocolTestServer;
}

const META: EventMetadata = {
  actor: 'alice@example.com',
  source: 'api',
  correlationId: 'corr-1',
  causationId: null,
  occurredAt: '2025-01-02T03:04:05.006Z',
  schemaVersion: 1,
};

export function proposed(type: string, data: Record<string, unknown> = {}): ProposedEvent {
  return { eventId: randomUUID(), type, data, metadata: META };
}

/** Every event's hash recomputes and links to its predecessor, from the genesis value. */
export function expectValidChain(events: readonly RecordedEvent[]): void {
  events.forEach((event, i) => {
    expect(event.revision).toBe(i);
    expect(event.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1].hash);
    expect(hashEnvelope(event)).toBe(event.hash);
  });
}

/**
 * What the ledger needs from the EventStoreDB adapter beyond the shared port contract: its
 * mapping, EventStoreDB's own idempotence, system events in $all, deleted streams, dropped
 * subscriptions. Runs against the protocol test double and, when configured, a real server.
 */
export function describeEventStoreDbBehaviour(title: string, target: EsdbTarget): void {
  describe(title, () => {
    // Unique prefixes keep a shared real server's earlier runs out of this run's feed.
    const run = randomUUID().slice(0, 8);
    const prefixes = [`change-${run}-`, `service-${run}-`, `alert-${run}-`];
    const changeStream = () => `change-${run}-${randomUUID()}`;
    let store: EventStoreDbEventStore;
    let raw: EventStoreDBClient;

    beforeAll(async () => {
      store = await openEventStoreDbStore(target.connectionString(), { streamPrefixes: prefixes });
      raw = EventStoreDBClient.connectionString(target.connectionString());
    });

    afterAll(async () => {
      await store?.close();
      await raw?.dispose();
    });

    /** Everything this run has put in the feed so far, paging as a projection would. */
    async function wholeFeed(pageSize = 7): Promise<RecordedEvent[]> {
      const all: RecordedEvent[] = [];
      for (let after: string | null = null; ;) {
        const page = await store.readAll(after, pageSize);
        all.push(...page);
        if (page.length === 0) return all;
        after = page[page.length - 1].position;
      }
    }

    describe('appending', () => {
      it('chains a new stream from the genesis hash and reads it back identically', async () => {
        const stream = changeStream();
        const result = await store.append(stream, 'no-stream', [
          proposed('ChangeRequested', { title: 'Raise pool', n: 1 }),
          proposed('RiskAssessed', { score: 12.5, factors: ['db', 'traffic'] }),
        ]);
        expect(result).toMatchObject({ streamId: stream, lastRevision: 1, alreadyStored: false });
        expectValidChain(result.events);
        const read = await store.readStream(stream);
        expect(read).toEqual(result.events);
        // recordedAt is ours, not the server's `created`.
        expect(Date.parse(read[0].recordedAt)).toBeGreaterThan(Date.now() - 60_000);
      });

      it('continues the chain across appends at an exact revision and with `any`', async () => {
        const stream = changeStream();
        await store.append(stream, 'no-stream', [proposed('A')]);
        await store.append(stream, 0, [proposed('B'), proposed('C')]);
        const last = await store.append(stream, 'any', [proposed('D')]);
        expect(last.lastRevision).toBe(3);
        expectValidChain(await store.readStream(stream));
      });

      it('refuses a stale expected revision with the actual one (-1 for no stream)', async () => {
        const stream = changeStream();
        await expect(store.append(stream, 0, [proposed('A')])).rejects.toMatchObject({
          name: 'WrongExpectedRevision',
          streamId: stream,
          expected: 0,
          actual: -1,
        });
        await store.append(stream, 'no-stream', [proposed('A'), proposed('B')]);
        const stale = store.append(stream, 'no-stream', [proposed('C')]);
        await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevision);
        await expect(stale).rejects.toMatchObject({ expected: 'no-stream', actual: 1 });
        await expect(store.append(stream, 0, [proposed('C')])).rejects.toMatchObject({ actual: 1 });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('returns the stored records when the same events are appended again', async () => {
        const stream = changeStream();
        const events = [proposed('A', { a: 1 }), proposed('B', { b: 2 })];
        const first = await store.append(stream, 'no-stream', events);
        // Same expected revision (EventStoreDB's own idempotence would also accept this one)...
        const again = await store.append(stream, 'no-stream', events);
        expect(again).toEqual({ ...first, alreadyStored: true });
        await store.append(stream, 'any', [proposed('C')]);
        // ...and after the stream moved on, with `any` and with a stale revision.
        expect(await store.append(stream, 'any', events)).toEqual({
          ...first,
          alreadyStored: true,
        });
        expect(await store.append(stream, 0, [events[1]])).toMatchObject({
          alreadyStored: true,
          events: [first.events[1]],
        });
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('refuses a known eventId carrying different content, and writes nothing', async () => {
        const stream = changeStream();
        const event = proposed('A', { amount: 1 });
        await store.append(stream, 'no-stream', [event]);
        for (const changed of [
          { ...event, data: { amount: 2 } },
          { ...event, type: 'B' },
          { ...event, metadata: { ...META, actor: 'mallory@example.com' } },
        ]) {
          await expect(store.append(stream, 'any', [changed])).rejects.toBeInstanceOf(
            DuplicateEventConflict,
          );
          await expect(store.append(stream, 0, [changed])).rejects.toMatchObject({
            name: 'DuplicateEventConflict',
            eventId: event.eventId,
          });
        }
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('appends only the new part of a partly redelivered batch with `any`', async () => {
        const stream = changeStream();
        const [a, b] = [proposed('A'), proposed('B')];
        await store.append(stream, 'no-stream', [a]);
        const result = await store.append(stream, 'any', [a, b]);
        expect(result.events.map((e) => e.eventId)).toEqual([b.eventId]);
        expect(result.alreadyStored).toBe(false);
        await expect(store.append(stream, 1, [a, proposed('C')])).rejects.toBeInstanceOf(
          DuplicateEventConflict,
        );
        await expect(store.append(stream, 0, [a, proposed('C')])).rejects.toBeInstanceOf(
          WrongExpectedRevision,
        );
        expectValidChain(await store.readStream(stream));
      });

      describe('with concurrent writers in several processes', () => {
        // Each store has its own client and connection, like separate API instances.
        let writers: EventStoreDbEventStore[];
        const writer = (i: number) => writers[i % writers.length];

        beforeAll(async () => {
          writers = [
            store,
            ...(await Promise.all(
              [1, 2].map(() =>
                openEventStoreDbStore(target.connectionString(), { streamPrefixes: prefixes }),
              ),
            )),
          ];
        });

        afterAll(async () => {
          await Promise.all(writers.slice(1).map((w) => w.close()));
        });

        it('keeps one unbroken chain when they all append with `any`', async () => {
          const stream = changeStream();
          const conflictsBefore = target.double?.().log.wrongExpectedVersions ?? 0;
          const results = await Promise.all(
            Array.from({ length: 12 }, (_, i) =>
              writer(i).append(stream, 'any', [proposed('Tick', { i })]),
            ),
          );
          expect(results.map((r) => r.lastRevision).sort((x, y) => x - y)).toEqual(
            Array.from({ length: 12 }, (_, i) => i),
          );
          expectValidChain(await store.readStream(stream));
          // On the double we can see the server really refused some of them and they retried.
          if (target.double) {
            expect(target.double().log.wrongExpectedVersions).toBeGreaterThan(conflictsBefore);
          }
        });

        it('lets exactly one of them win at the same revision', async () => {
          const stream = changeStream();
          await store.append(stream, 'no-stream', [proposed('A')]);
          const outcomes = await Promise.allSettled(
            Array.from({ length: 6 }, (_, i) => writer(i).append(stream, 0, [proposed('B')])),
          );
          expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
          for (const o of outcomes.filter((o) => o.status === 'rejected')) {
            expect(o.reason).toMatchObject({ name: 'WrongExpectedRevision', actual: 1 });
          }
          expectValidChain(await store.readStream(stream));
        });

        it('stores an event redelivered to all of them at once exactly once', async () => {
          const stream = changeStream();
          await store.append(stream, 'no-stream', [proposed('A')]);
          const event = proposed('DeployObserved', { version: '1.2.3' });
          const results = await Promise.all(
            Array.from({ length: 6 }, (_, i) => writer(i).append(stream, 'any', [event])),
          );
          const stored = await store.readStream(stream);
          expect(stored.filter((e) => e.eventId === event.eventId)).toHaveLength(1);
          for (const result of results) expect(result.events).toEqual([stored[1]]);
          expect(results.some((r) => !r.alreadyStored)).toBe(true);
        });
      });

      it('reports one write and the rest as already stored for redeliveries in one process', async () => {
        const stream = changeStream();
        await store.append(stream, 'no-stream', [proposed('A')]);
        const event = proposed('DeployObserved', { version: '1.2.4' });
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.append(stream, 'any', [event])),
        );
        expect(results.filter((r) => !r.alreadyStored)).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('treats upper-case event ids as the same UUID', async () => {
        const stream = changeStream();
        const event = proposed('A');
        await store.append(stream, 'no-stream', [
          { ...event, eventId: event.eventId.toUpperCase() },
        ]);
        const [stored] = await store.readStream(stream);
        expect(stored.eventId).toBe(event.eventId);
        expect(hashEnvelope(stored)).toBe(stored.hash);
        expect((await store.append(stream, 'any', [event])).alreadyStored).toBe(true);
      });

      it('round-trips awkward JSON exactly, so hashes still verify', async () => {
        const stream = changeStream();
        const data = {
          text: 'naïve café — 日本語 🚀 "quotes" \\ back\nslash \u2028 \\u0000',
          nested: { deep: [1, -0.5, 1e21, null, true, { k: [] }] },
          empty: {},
        };
        const { events } = await store.append(stream, 'no-stream', [
          { ...proposed('A', data), metadata: { ...META, causationId: 'cause-9' } },
        ]);
        const [read] = await store.readStream(stream);
        expect(read).toEqual(events[0]);
        expect(read.data).toEqual(data);
        expect(hashEnvelope(read)).toBe(read.hash);
      });

      it('refuses events the feed could not carry faithfully, whole batches at a time', async () => {
        const badEvents: ProposedEvent[] = [
          { ...proposed('A'), eventId: 'not-a-uuid' },
          proposed('$metadata'),
          { ...proposed('A'), metadata: { ...META, hash: 'x' } as EventMetadata },
          // EventStoreDB could keep these; PostgreSQL cannot, and all stores take the same events.
          proposed('A', { note: 'NUL \u0000 inside' }),
          proposed('A', { note: 'half \ud83d an emoji' }),
        ];
        const badStreams = [`elsewhere-${randomUUID()}`, `$${changeStream()}`];
        for (const stream of badStreams) {
          await expect(store.append(stream, 'any', [proposed('A')])).rejects.toBeInstanceOf(
            UnstorableEvent,
          );
        }
        const stream = changeStream();
        await store.append(stream, 'no-stream', [proposed('Kept')]);
        for (const event of badEvents) {
          await expect(store.append(stream, 0, [proposed('Good'), event])).rejects.toBeInstanceOf(
            UnstorableEvent,
          );
        }
        const twice = proposed('A');
        await expect(store.append(stream, 0, [twice, twice])).rejects.toBeInstanceOf(
          UnstorableEvent,
        );
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('answers an empty append with the stream head, or WrongExpectedRevision', async () => {
        const stream = changeStream();
        expect(await store.append(stream, 'no-stream', [])).toEqual({
          streamId: stream,
          lastRevision: -1,
          events: [],
          alreadyStored: false,
        });
        await store.append(stream, 'no-stream', [proposed('A')]);
        expect((await store.append(stream, 0, [])).lastRevision).toBe(0);
        await expect(store.append(stream, 5, [])).rejects.toBeInstanceOf(WrongExpectedRevision);
      });
    });

    describe('reading a stream', () => {
      let stream: string;
      let events: RecordedEvent[];

      beforeAll(async () => {
        stream = changeStream();
        events = (
          await store.append(
            stream,
            'no-stream',
            Array.from({ length: 6 }, (_, i) => proposed('E', { i })),
          )
        ).events as RecordedEvent[];
      });

      it('reads forwards and backwards, from a revision, up to a limit', async () => {
        expect(await store.readStream(stream, { fromRevision: 2, limit: 3 })).toEqual(
          events.slice(2, 5),
        );
        expect(await store.readStream(stream, { direction: 'backward', limit: 2 })).toEqual([
          events[5],
          events[4],
        ]);
        expect(await store.readStream(stream, { direction: 'backward', fromRevision: 3 })).toEqual(
          events.slice(0, 4).reverse(),
        );
        // Past the end: forwards nothing, backwards from the last event.
        expect(await store.readStream(stream, { fromRevision: 6 })).toEqual([]);
        expect(
          await store.readStream(stream, { direction: 'backward', fromRevision: 99, limit: 2 }),
        ).toEqual([events[5], events[4]]);
        expect(await store.readStream(stream, { limit: 0 })).toEqual([]);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store.readStream(changeStream())).toEqual([]);
        expect(await store.readStream(changeStream(), { direction: 'backward' })).toEqual([]);
      });

      it('surfaces an event the ledger did not write instead of guessing', async () => {
        // Outside this run's prefixes, so it stays out of the feed the other tests read.
        const foreign = `foreign-${run}-${randomUUID()}`;
        await raw.appendToStream(
          foreign,
          jsonEvent({ type: 'Whatever', data: { hello: 'world' } }),
        );
        await expect(store.readStream(foreign)).rejects.toBeInstanceOf(UnreadableLedgerEvent);
      });

      it('reports a hard-deleted stream as StreamDeleted, for reads and appends', async () => {
        const doomed = changeStream();
        await store.append(doomed, 'no-stream', [proposed('A')]);
        await raw.tombstoneStream(doomed);
        await expect(store.readStream(doomed)).rejects.toBeInstanceOf(StreamDeleted);
        await expect(store.append(doomed, 'any', [proposed('B')])).rejects.toMatchObject({
          name: 'StreamDeleted',
          streamId: doomed,
        });
      });
    });

    describe('the global feed', () => {
      it('carries the ledger streams in commit order, skipping system and foreign events', async () => {
        const before = await wholeFeed();
        const a = changeStream();
        const s = `service-${run}-checkout`;
        const expected: RecordedEvent[] = [];
        expected.push(
          ...(await store.append(a, 'no-stream', [proposed('A1'), proposed('A2')])).events,
        );
        target.double?.().appendSystemEvent();
        await raw.appendToStream(`other-${run}`, jsonEvent({ type: 'NotOurs', data: {} }));
        expected.push(...(await store.append(s, 'any', [proposed('S1')])).events);
        const tombstoned = changeStream();
        expected.push(...(await store.append(tombstoned, 'no-stream', [proposed('T1')])).events);
        await raw.tombstoneStream(tombstoned); // its $streamDeleted record lives in a ledger stream
        expected.push(...(await store.append(a, 1, [proposed('A3')])).events);

        const feed = await wholeFeed(2);
        expect(feed.slice(before.length)).toEqual(expected);
        expect(feed.every((e) => prefixes.some((p) => e.streamId.startsWith(p)))).toBe(true);
        expect(feed.every((e) => !e.type.startsWith('$'))).toBe(true);
        // The positions an append reports are the feed's.
        const positions = feed.map((e) => e.position);
        expect(new Set(positions).size).toBe(positions.length);
      });

      it('resumes strictly after any position it handed out', async () => {
        await store.append(changeStream(), 'no-stream', [proposed('X'), proposed('Y')]);
        const feed = await wholeFeed();
        for (let i = 0; i < feed.length; i++) {
          expect(await store.readAll(feed[i].position, 3)).toEqual(feed.slice(i + 1, i + 4));
        }
        expect(await store.readAll(null, 2)).toEqual(feed.slice(0, 2));
        expect(await store.readAll(null, 0)).toEqual([]);
      });

      it('refuses positions it did not hand out', async () => {
        for (const bad of [
          '',
          '12:34',
          'esdb:1',
          'esdb:-1:2',
          'esdb:x:y',
          'esdb:18446744073709551615:1',
        ]) {
          await expect(store.readAll(bad, 1)).rejects.toBeInstanceOf(InvalidPosition);
        }
      });

      it('subscribes: catches up from a position, then follows live appends', async () => {
        const stream = changeStream();
        const first = await store.append(stream, 'no-stream', [proposed('P1'), proposed('P2')]);
        const controller = new AbortController();
        const seen: RecordedEvent[] = [];
        const live = proposed('P3');
        const following = (async () => {
          for await (const event of store.subscribe({
            after: first.events[0].position,
            signal: controller.signal,
          })) {
            seen.push(event);
            if (seen.length === 1) await store.append(stream, 'any', [live]);
            if (event.eventId === live.eventId) controller.abort();
          }
        })();
        await following;
        expect(seen.map((e) => e.type)).toEqual(['P2', 'P3']);
        expect(seen[1]).toEqual((await store.readStream(stream))[2]);
      });

      it('ends a subscription when its signal aborts, even while waiting for events', async () => {
        const controller = new AbortController();
        const feed = await wholeFeed();
        const iteration = (async () => {
          const after = feed.at(-1)?.position ?? null;
          let count = 0;
          for await (const event of store.subscribe({ after, signal: controller.signal })) {
            count += event.revision >= 0 ? 1 : 0;
          }
          return count;
        })();
        setTimeout(() => controller.abort(), 150);
        await expect(iteration).resolves.toBe(0);
      });

      if (target.double) {
        const double = target.double;
        it('resubscribes after the server drops a subscription, without gaps or repeats', async () => {
          const stream = changeStream();
          const start = await store.append(stream, 'no-stream', [proposed('D0')]);
          const controller = new AbortController();
          const seen: string[] = [];
          const following = (async () => {
            for await (const event of store.subscribe({
              after: start.events[0].position,
              signal: controller.signal,
            })) {
              seen.push(event.type);
              if (seen.length === 3) controller.abort();
            }
          })();
          await store.append(stream, 'any', [proposed('D1')]);
          await waitFor(() => seen.length === 1);
          expect(double().dropSubscriptions()).toBe(1);
          await store.append(stream, 'any', [proposed('D2')]);
          await store.append(stream, 'any', [proposed('D3')]);
          await following;
          expect(seen).toEqual(['D1', 'D2', 'D3']);
          await waitFor(() => double().liveSubscriptions === 0);
        });
      }
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

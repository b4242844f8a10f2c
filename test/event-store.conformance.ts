import { randomUUID } from 'node:crypto';
import type { AppendResult, EventStore, ExpectedRevision } from '../src/ledger/event-store';
import { GENESIS_HASH, hashEnvelope } from '../src/ledger/hash-chain';
import type { EventData, ProposedEvent, RecordedEvent } from '../src/ledger/ledger-event';
import {
  DuplicateEventConflict,
  UnstorableEvent,
  WrongExpectedRevision,
} from '../src/ledger/ledger-errors';
import { verifyStream } from '../src/ledger/verification/verify-stream';

/**
 * The behaviour every EventStore adapter must show, exercised through the port only (never
 * through the adapter's own storage), so every adapter runs exactly the same cases.
 *
 * Each case writes to fresh, randomly named streams and reads the global feed from a position
 * it obtained itself, so the cases neither depend on an empty store nor on each other.
 */
export function describeEventStoreConformance(
  name: string,
  openStore: () => Promise<EventStore>,
  closeStore: (store: EventStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`${name} — EventStore conformance`, () => {
    let store: EventStore;

    beforeAll(async () => {
      store = await openStore();
    });

    afterAll(async () => {
      if (store) await closeStore(store);
    });

    /** A position in the feed just before whatever the case appends next. */
    async function anchor(): Promise<string> {
      const marker = await store.append(streamName('marker'), 'no-stream', [probe('marker')]);
      return marker.events[0].position;
    }

    /**
     * Every event after `after`, read in pages until the wanted events have all appeared and
     * the feed has nothing more. Stores may publish committed events after a short delay (a
     * visibility horizon), so an empty page before then means "not yet", not "never".
     */
    async function readFeed(
      after: string,
      wanted: Iterable<string>,
      pageSize = 100,
    ): Promise<RecordedEvent[]> {
      const missing = new Set(wanted);
      const feed: RecordedEvent[] = [];
      let cursor = after;
      const deadline = Date.now() + 15_000;
      for (;;) {
        const page = await store.readAll(cursor, pageSize);
        expect(page.length).toBeLessThanOrEqual(pageSize);
        for (const event of page) {
          feed.push(event);
          missing.delete(event.eventId);
          cursor = event.position;
        }
        if (page.length > 0) continue;
        if (missing.size === 0) return feed;
        if (Date.now() > deadline)
          throw new Error(`feed never delivered ${missing.size} events, e.g. ${[...missing][0]}`);
        await sleep(50);
      }
    }

    describe('expected revision', () => {
      it('appends a new stream with no-stream, numbering from revision 0', async () => {
        const streamId = streamName('new');
        const result = await store.append(streamId, 'no-stream', probes(3));
        expect(result).toMatchObject({ streamId, lastRevision: 2, alreadyStored: false });
        expect(result.events.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(result.events.every((e) => e.streamId === streamId)).toBe(true);
        expect(await revisions(streamId)).toEqual([0, 1, 2]);
      });

      it('refuses no-stream on an existing stream, carrying the actual revision', async () => {
        const streamId = streamName('exists');
        await store.append(streamId, 'no-stream', probes(2));
        const error = await refusal(store.append(streamId, 'no-stream', probes(1)));
        expectWrongRevision(error, streamId, 'no-stream', 1);
        expect(await revisions(streamId)).toEqual([0, 1]);
      });

      it('appends at the exact revision the caller read', async () => {
        const streamId = streamName('exact');
        await store.append(streamId, 'no-stream', probes(3));
        const result = await store.append(streamId, 2, probes(2));
        expect(result.lastRevision).toBe(4);
        expect(result.events.map((e) => e.revision)).toEqual([3, 4]);
        expect(await revisions(streamId)).toEqual([0, 1, 2, 3, 4]);
      });

      it('refuses an exact revision behind or beyond the stream, carrying the actual one', async () => {
        const streamId = streamName('stale');
        await store.append(streamId, 'no-stream', probes(4));
        for (const stale of [0, 2, 4, 9]) {
          const error = await refusal(store.append(streamId, stale, probes(1)));
          expectWrongRevision(error, streamId, stale, 3);
        }
        expect(await revisions(streamId)).toEqual([0, 1, 2, 3]);
      });

      it('refuses an exact revision on a stream that does not exist, with actual -1', async () => {
        const streamId = streamName('missing');
        const error = await refusal(store.append(streamId, 0, probes(1)));
        expectWrongRevision(error, streamId, 0, -1);
        expect(await store.readStream(streamId)).toEqual([]);
      });

      it('appends with any on a new and on an existing stream', async () => {
        const streamId = streamName('any');
        const first = await store.append(streamId, 'any', probes(2));
        expect(first.events.map((e) => e.revision)).toEqual([0, 1]);
        const second = await store.append(streamId, 'any', probes(1));
        expect(second).toMatchObject({ lastRevision: 2, alreadyStored: false });
        expect(second.events[0].revision).toBe(2);
        expect(await revisions(streamId)).toEqual([0, 1, 2]);
      });
    });

    describe('idempotent redelivery', () => {
      it('returns the stored records for the same eventIds and content, writing nothing', async () => {
        const streamId = streamName('redeliver');
        const start = await anchor();
        const batch = probes(2);
        const original = await store.append(streamId, 'no-stream', batch);
        expect(original.alreadyStored).toBe(false);

        // Redelivered with the original expectation, with any, and at the stream's revision.
        for (const expected of ['no-stream', 'any', 1] as const) {
          const again = await store.append(streamId, expected, batch);
          expect(again.alreadyStored).toBe(true);
          expect(again.lastRevision).toBe(1);
          expect(again.events).toEqual(original.events);
        }

        // Still idempotent once the stream has moved on.
        const later = await store.append(streamId, 1, probes(1));
        const lateRedelivery = await store.append(streamId, 'no-stream', [batch[0]]);
        expect(lateRedelivery.alreadyStored).toBe(true);
        expect(lateRedelivery.events).toEqual([original.events[0]]);

        const stored = await store.readStream(streamId);
        expect(stored.map((e) => e.eventId)).toEqual([
          batch[0].eventId,
          batch[1].eventId,
          later.events[0].eventId,
        ]);
        const feed = await readFeed(start, eventIds(stored));
        expect(feed.filter((e) => e.streamId === streamId)).toHaveLength(3);
      });

      it('refuses a known eventId with different content as DuplicateEventConflict', async () => {
        const streamId = streamName('conflict');
        const [event] = probes(1);
        await store.append(streamId, 'no-stream', [event]);
        const changedData = { ...event, data: { ...event.data, tampered: true } };
        const changedActor = { ...event, metadata: { ...event.metadata, actor: 'mallory' } };
        const changedType = { ...event, type: 'SomethingElse' };
        const attempts: Array<[string, ExpectedRevision, ProposedEvent]> = [
          [streamId, 'any', changedData],
          [streamId, 0, changedActor],
          [streamId, 'no-stream', changedType],
          [streamName('elsewhere'), 'no-stream', event],
          [streamName('elsewhere'), 'any', event],
        ];
        for (const [target, expected, proposal] of attempts) {
          const error = await refusal(store.append(target, expected, [proposal]));
          expect(error).toBeInstanceOf(DuplicateEventConflict);
          expect((error as DuplicateEventConflict).eventId).toBe(event.eventId);
        }
        const stored = await store.readStream(streamId);
        expect(stored).toHaveLength(1);
        expect(stored[0]).toMatchObject({ type: event.type, data: event.data });
      });

      it('stores an eventId in the form its hash covers, whatever its letter case', async () => {
        const streamId = streamName('uuid-case');
        const upper = { ...probe('upper'), eventId: randomUUID().toUpperCase() };
        const appended = await store.append(streamId, 'no-stream', [upper]);
        const [stored] = await store.readStream(streamId);
        expect(stored.eventId.toLowerCase()).toBe(upper.eventId.toLowerCase());
        expect(hashEnvelope(stored)).toBe(stored.hash);
        expect(appended.events[0]).toEqual(stored);
        const again = await store.append(streamId, 'no-stream', [upper]);
        expect(again.alreadyStored).toBe(true);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });
    });

    describe('appendMany', () => {
      /** The values of fulfilled appends; fails the test on a refusal. */
      function values(settled: Array<PromiseSettledResult<AppendResult>>): AppendResult[] {
        return settled.map((outcome) => {
          if (outcome.status === 'rejected') throw outcome.reason;
          return outcome.value;
        });
      }

      it('appends to many streams in one call, each as append would, in order per stream', async () => {
        const [a, b, c] = [streamName('many-a'), streamName('many-b'), streamName('many-c')];
        await store.append(c, 'no-stream', probes(2));
        const start = await anchor();
        const calls = [
          { streamId: a, expected: 'no-stream' as const, events: probes(2) },
          { streamId: b, expected: 'any' as const, events: probes(1) },
          { streamId: a, expected: 1, events: probes(1) },
          { streamId: c, expected: 1, events: probes(2) },
          { streamId: a, expected: 'any' as const, events: probes(1) },
        ];
        const results = values(await store.appendMany(calls));
        expect(results.map((r) => [r.streamId, r.lastRevision, r.alreadyStored])).toEqual([
          [a, 1, false],
          [b, 0, false],
          [a, 2, false],
          [c, 3, false],
          [a, 3, false],
        ]);
        for (const [i, result] of results.entries()) {
          expect(eventIds(result.events)).toEqual(calls[i].events.map((e) => e.eventId));
        }
        for (const streamId of [a, b, c]) {
          const stored = await store.readStream(streamId);
          expect(verifyStream(streamId, stored).intact).toBe(true);
          const returned = results.flatMap((r) => r.events).filter((e) => e.streamId === streamId);
          expect(stored.slice(stored.length - returned.length)).toEqual(returned);
        }
        // The feed carries every stream in revision order, each event once.
        const appended = results.flatMap((r) => r.events);
        const feed = await readFeed(start, eventIds(appended));
        for (const streamId of [a, b, c]) {
          const inFeed = feed.filter((e) => e.streamId === streamId);
          const revisionsInFeed = inFeed.map((e) => e.revision);
          expect(revisionsInFeed).toEqual([...revisionsInFeed].sort((x, y) => x - y));
          expect(inFeed).toEqual(appended.filter((e) => e.streamId === streamId));
        }
      });

      it('settles each append on its own: a refusal leaves the others, and the same stream, going', async () => {
        const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => streamName(`many-refused-${x}`));
        await store.append(a, 'no-stream', probes(2));
        const [taken] = probes(1);
        await store.append(d, 'no-stream', [taken]);
        const unstorable = { ...probe('nul'), data: { note: 'a\u0000b' } };
        const settled = await store.appendMany([
          { streamId: a, expected: 0, events: probes(1) },
          { streamId: a, expected: 'any', events: probes(1) },
          { streamId: b, expected: 'no-stream', events: [unstorable] },
          { streamId: b, expected: 'no-stream', events: probes(1) },
          { streamId: c, expected: 'no-stream', events: [{ ...taken, type: 'Other' }] },
          { streamId: c, expected: 'any', events: probes(1) },
        ]);
        expect(settled.map((s) => s.status)).toEqual([
          'rejected',
          'fulfilled',
          'rejected',
          'fulfilled',
          'rejected',
          'fulfilled',
        ]);
        const reason = (i: number) => (settled[i] as PromiseRejectedResult).reason as unknown;
        expectWrongRevision(reason(0), a, 0, 1);
        expect(reason(2)).toBeInstanceOf(UnstorableEvent);
        expect(reason(4)).toBeInstanceOf(DuplicateEventConflict);
        expect(await revisions(a)).toEqual([0, 1, 2]);
        expect(await revisions(b)).toEqual([0]);
        expect(await revisions(c)).toEqual([0]);
        expect(await revisions(d)).toEqual([0]);
      });

      it('answers a redelivery with the stored records per append, writing only what is new', async () => {
        const [a, b] = [streamName('many-again-a'), streamName('many-again-b')];
        const first = [
          { streamId: a, expected: 'no-stream' as const, events: probes(2) },
          { streamId: b, expected: 'any' as const, events: probes(1) },
        ];
        const original = values(await store.appendMany(first));
        const fresh = { streamId: b, expected: 'any' as const, events: probes(1) };
        const again = values(await store.appendMany([...first, fresh]));
        expect(again.map((r) => r.alreadyStored)).toEqual([true, true, false]);
        expect(again[0].events).toEqual(original[0].events);
        expect(again[1].events).toEqual(original[1].events);
        expect(again[2].events.map((e) => e.revision)).toEqual([1]);
        expect(await revisions(a)).toEqual([0, 1]);
        expect(await revisions(b)).toEqual([0, 1]);
      });

      it('lands concurrent calls appending with any to the same streams, chains intact', async () => {
        const streams = [streamName('many-race-a'), streamName('many-race-b')];
        const calls = await Promise.all(
          Array.from({ length: 10 }, () =>
            store.appendMany(
              streams.map((streamId) => ({ streamId, expected: 'any', events: probes(2) })),
            ),
          ),
        );
        for (const settled of calls) values(settled);
        for (const streamId of streams) {
          const stored = await store.readStream(streamId);
          expect(stored.map((e) => e.revision)).toEqual(range(20));
          expect(verifyStream(streamId, stored).intact).toBe(true);
        }
      });

      it('settles an empty call with nothing', async () => {
        expect(await store.appendMany([])).toEqual([]);
      });
    });

    describe('storedEventIds', () => {
      it('names the given ids that are stored, in any stream, in the form given', async () => {
        const [a, b] = [probe('a'), probe('b')];
        await store.append(streamName('ids-a'), 'no-stream', [a]);
        await store.append(streamName('ids-b'), 'no-stream', [b]);
        const upper = b.eventId.toUpperCase();
        const unknown = randomUUID();
        const stored = await store.storedEventIds([a.eventId, upper, unknown, 'not-a-uuid']);
        expect([...stored].sort()).toEqual([a.eventId, upper].sort());
        expect(await store.storedEventIds([])).toEqual(new Set());
      });
    });

    describe('readStream', () => {
      let streamId: string;
      let appended: RecordedEvent[];

      beforeAll(async () => {
        streamId = streamName('read');
        appended = [
          ...(await store.append(streamId, 'no-stream', probes(3))).events,
          ...(await store.append(streamId, 2, probes(2))).events,
        ];
      });

      it('reads forward by default, returning what was appended', async () => {
        const events = await store.readStream(streamId);
        expect(events).toEqual(appended);
      });

      it('reads backward from the end', async () => {
        expect(await revisions(streamId, { direction: 'backward' })).toEqual([4, 3, 2, 1, 0]);
      });

      it('starts at fromRevision, inclusive, in either direction', async () => {
        expect(await revisions(streamId, { fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions(streamId, { fromRevision: 2, direction: 'backward' })).toEqual([
          2, 1, 0,
        ]);
        expect(await revisions(streamId, { fromRevision: 5 })).toEqual([]);
        expect(await revisions(streamId, { fromRevision: 10, direction: 'backward' })).toEqual([
          4, 3, 2, 1, 0,
        ]);
      });

      it('returns at most limit events', async () => {
        expect(await revisions(streamId, { limit: 2 })).toEqual([0, 1]);
        expect(await revisions(streamId, { limit: 2, direction: 'backward' })).toEqual([4, 3]);
        expect(await revisions(streamId, { fromRevision: 1, limit: 2 })).toEqual([1, 2]);
        expect(
          await revisions(streamId, { fromRevision: 3, limit: 2, direction: 'backward' }),
        ).toEqual([3, 2]);
        expect(await revisions(streamId, { fromRevision: 3, limit: 1 })).toEqual([3]);
        expect(await revisions(streamId, { limit: 50 })).toEqual([0, 1, 2, 3, 4]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream(streamName('never'))).toEqual([]);
        expect(await store.readStream(streamName('never'), { direction: 'backward' })).toEqual([]);
      });

      it('round-trips data and metadata exactly, so the hash still verifies', async () => {
        const id = streamName('round-trip');
        const data: EventData = {
          title: 'Zürich → 東京 🚀',
          quote: 'she said "no"\\n\ttab',
          lineSeparator: 'a\u2028b',
          literalEscape: '\\u0000 is not a NUL',
          numbers: [0, -1, 1.5, 1e21, 1e-7, 0.30000000000000004, Number.MAX_SAFE_INTEGER],
          nested: { empty: {}, list: [[], [null, true, false]], deep: { b: 2, a: 1 } },
          nothing: null,
        };
        const metadata = { ...probe('m').metadata, causationId: randomUUID() };
        const result = await store.append(id, 'no-stream', [{ ...probe('x'), data, metadata }]);
        const [stored] = await store.readStream(id);
        expect(stored.data).toEqual(data);
        expect(stored.metadata).toEqual(metadata);
        expect(stored).toEqual(result.events[0]);
        expect(hashEnvelope(stored)).toBe(stored.hash);
      });
    });

    describe('readAll (the global feed)', () => {
      it('delivers sequential appends in order, consistent with each stream, from any position', async () => {
        const [a, b, c] = [streamName('feed-a'), streamName('feed-b'), streamName('feed-c')];
        const start = await anchor();
        const results: AppendResult[] = [];
        results.push(await store.append(a, 'no-stream', probes(1)));
        results.push(await store.append(b, 'no-stream', probes(1)));
        results.push(await store.append(a, 0, probes(2)));
        results.push(await store.append(c, 'no-stream', probes(3)));
        results.push(await store.append(b, 0, probes(1)));
        results.push(await store.append(a, 2, probes(1)));
        const appended = results.flatMap((r) => r.events);
        const ours = new Set([a, b, c]);

        const feed = await readFeed(start, eventIds(appended), 3);
        const mine = feed.filter((e) => ours.has(e.streamId));
        // Appends that followed one another appear in that order, each exactly once.
        expect(mine.map((e) => e.eventId)).toEqual(eventIds(appended));
        expect(mine.map((e) => `${e.streamId}@${e.revision}`)).toEqual(
          appended.map((e) => `${e.streamId}@${e.revision}`),
        );
        // The feed hands out the same records, positions included, that append returned.
        expect(mine).toEqual(appended);
        expect(new Set(feed.map((e) => e.position)).size).toBe(feed.length);

        // The limit is respected and a page is the start of the same sequence.
        const firstFour = await store.readAll(start, 4);
        expect(firstFour.map(identity)).toEqual(feed.slice(0, 4).map(identity));

        // Resuming after any returned position continues with exactly the rest.
        for (let i = 0; i < feed.length; i++) {
          const rest = await store.readAll(feed[i].position, feed.length - i - 1 || 1);
          const expected = feed.slice(i + 1).map(identity);
          expect(rest.slice(0, expected.length).map(identity)).toEqual(expected);
        }

        // Paging one event at a time walks the same sequence, without gaps or duplicates.
        const walked: RecordedEvent[] = [];
        let cursor = start;
        while (walked.length < feed.length) {
          const page = await store.readAll(cursor, 1);
          expect(page).toHaveLength(1);
          walked.push(page[0]);
          cursor = page[0].position;
        }
        expect(walked.map(identity)).toEqual(feed.map(identity));
      });

      it('starts at the beginning of the log when after is null', async () => {
        await store.append(streamName('feed-start'), 'no-stream', probes(2));
        const [first, second] = await store.readAll(null, 2);
        expect(first).toBeDefined();
        expect(second).toBeDefined();
        const [next] = await store.readAll(first.position, 1);
        expect(identity(next)).toEqual(identity(second));
      });
    });

    describe('hash chain', () => {
      it('links each event to its predecessor and hashes its own envelope', async () => {
        const streamId = streamName('chain');
        const first = await store.append(streamId, 'no-stream', probes(3));
        const second = await store.append(streamId, 2, probes(1));
        const stored = await store.readStream(streamId);
        expect(stored).toHaveLength(4);
        expect(stored[0].prevHash).toBe(GENESIS_HASH);
        for (let i = 1; i < stored.length; i++) {
          expect(stored[i].prevHash).toBe(stored[i - 1].hash);
        }
        for (const event of stored) {
          expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
          expect(hashEnvelope(event)).toBe(event.hash);
        }
        expect([...first.events, ...second.events].map((e) => e.hash)).toEqual(
          stored.map((e) => e.hash),
        );
        expect(verifyStream(streamId, stored)).toMatchObject({ intact: true, events: 4 });
      });
    });

    describe('concurrent appends on one stream', () => {
      it('lets exactly one of 50 writers who read the same revision win', async () => {
        const streamId = streamName('race-once');
        await store.append(streamId, 'no-stream', probes(1));
        const reads = await Promise.all(
          Array.from({ length: 50 }, () =>
            store.readStream(streamId, { direction: 'backward', limit: 1 }),
          ),
        );
        const outcomes = await Promise.allSettled(
          reads.map(([last]) => store.append(streamId, last.revision, probes(1))),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(won[0].value.events[0].revision).toBe(1);
        expect(lost).toHaveLength(49);
        for (const outcome of lost) expectWrongRevision(outcome.reason, streamId, 0, 1);
        const stored = await store.readStream(streamId);
        expect(stored).toHaveLength(2);
        expect(stored[1].eventId).toBe(won[0].value.events[0].eventId);
        expect(verifyStream(streamId, stored).intact).toBe(true);
      });

      it('lands 50 retrying writers once each: one winner per revision, no gaps, valid chain', async () => {
        const streamId = streamName('race-retry');
        const wins: Array<{ expected: 'no-stream' | number; revision: number; eventId: string }> =
          [];
        let conflicts = 0;
        const writer = async (n: number) => {
          const event = probe(`writer-${n}`);
          for (let attempt = 0; attempt < 500; attempt++) {
            const [last] = await store.readStream(streamId, { direction: 'backward', limit: 1 });
            const expected: 'no-stream' | number = last ? last.revision : 'no-stream';
            try {
              const result = await store.append(streamId, expected, [event]);
              wins.push({ expected, revision: result.events[0].revision, eventId: event.eventId });
              return;
            } catch (error) {
              // The loser learns where the stream really is: past what it read.
              expect(error).toBeInstanceOf(WrongExpectedRevision);
              const { actual } = error as WrongExpectedRevision;
              expect(actual).toBeGreaterThan(expected === 'no-stream' ? -1 : expected);
              conflicts += 1;
            }
          }
          throw new Error(`writer ${n} never landed`);
        };
        await Promise.all(Array.from({ length: 50 }, (_, n) => writer(n)));

        expect(conflicts).toBeGreaterThan(0);
        expect(wins.map((w) => w.revision).sort((x, y) => x - y)).toEqual(range(50));
        for (const win of wins) {
          expect(win.revision).toBe(win.expected === 'no-stream' ? 0 : win.expected + 1);
        }
        const stored = await store.readStream(streamId);
        expect(stored.map((e) => e.revision)).toEqual(range(50));
        const winnerAt = new Map(wins.map((w) => [w.revision, w.eventId]));
        expect(stored.map((e) => e.eventId)).toEqual(stored.map((e) => winnerAt.get(e.revision)));
        expect(verifyStream(streamId, stored)).toMatchObject({ intact: true, events: 50 });
      });

      it('lands 50 concurrent appends with any, batches kept whole, in feed order', async () => {
        const streamId = streamName('race-any');
        const start = await anchor();
        const results = await Promise.all(
          Array.from({ length: 50 }, () => store.append(streamId, 'any', probes(2))),
        );
        for (const result of results) {
          const [first, second] = result.events;
          expect(second.revision).toBe(first.revision + 1);
          expect(result.lastRevision).toBe(second.revision);
        }
        const stored = await store.readStream(streamId);
        expect(stored.map((e) => e.revision)).toEqual(range(100));
        expect(new Set(stored.map((e) => e.eventId))).toEqual(
          new Set(results.flatMap((r) => eventIds(r.events))),
        );
        expect(verifyStream(streamId, stored)).toMatchObject({ intact: true, events: 100 });

        // The global feed carries the stream in revision order, each event once.
        const feed = await readFeed(start, eventIds(stored));
        const inFeed = feed.filter((e) => e.streamId === streamId);
        expect(inFeed.map((e) => e.revision)).toEqual(range(100));
      });
    });

    describe('subscribe', () => {
      it('catches up, follows live appends, and resumes after an abort without gaps or duplicates', async () => {
        const streamId = streamName('subscribe');
        const start = await anchor();
        const appended: RecordedEvent[] = [];
        for (let i = 0; i < 3; i++) {
          const expected = i === 0 ? 'no-stream' : appended.length - 1;
          appended.push(...(await store.append(streamId, expected, probes(2))).events);
        }
        const ours = (events: RecordedEvent[]) => events.filter((e) => e.streamId === streamId);

        // 1. Catching up in batches of 2, stopped in the middle of the second batch.
        const first = await follow(start, (seen) => ours(seen).length === 3);
        expect(ours(first.seen).map(identity)).toEqual(appended.slice(0, 3).map(identity));

        // 2. Resumed: the rest of the catch-up, then events appended while it is live.
        const live = (async () => {
          await sleep(300); // let the subscription run dry and wait
          appended.push(...(await store.append(streamId, 5, probes(2))).events);
          await sleep(300);
          appended.push(...(await store.append(streamId, 7, probes(2))).events);
        })();
        const second = await follow(first.last, (seen) => ours(seen).length === 7);
        await live;
        expect(ours(second.seen).map(identity)).toEqual(appended.slice(3, 10).map(identity));

        // 3. Appended while nobody listened, then resumed once more.
        appended.push(...(await store.append(streamId, 9, probes(2))).events);
        const third = await follow(second.last, (seen) => ours(seen).length === 2);
        expect(ours(third.seen).map(identity)).toEqual(appended.slice(10).map(identity));

        const everything = [...first.seen, ...second.seen, ...third.seen];
        expect(ours(everything).map((e) => e.revision)).toEqual(range(12));
        expect(new Set(everything.map((e) => e.position)).size).toBe(everything.length);
      });

      it('starts at the beginning of the log when after is null', async () => {
        await store.append(streamName('subscribe-start'), 'no-stream', probes(1));
        const [first] = await store.readAll(null, 1);
        const { seen } = await follow(null, (events) => events.length === 1);
        expect(identity(seen[0])).toEqual(identity(first));
      });

      /**
       * Subscribes after `after` and aborts once `enough` says so. The iteration must then end
       * by itself, promptly and with nothing more delivered. Deadlines of its own keep a store
       * that ignores its signal from hanging the suite.
       */
      async function follow(
        after: string | null,
        enough: (seen: RecordedEvent[]) => boolean,
      ): Promise<{ seen: RecordedEvent[]; last: string }> {
        const controller = new AbortController();
        const subscription = store.subscribe({ after, signal: controller.signal, batchSize: 2 });
        const iterator = subscription[Symbol.asyncIterator]();
        const seen: RecordedEvent[] = [];
        let deadline = Date.now() + 20_000;
        try {
          for (;;) {
            const next = await within(iterator.next(), deadline - Date.now());
            if (next === 'timed out') {
              throw new Error(
                controller.signal.aborted
                  ? 'the subscription did not end within 2 s of its signal aborting'
                  : `the subscription delivered only ${seen.length} events in 20 s`,
              );
            }
            if (next.done) break;
            if (controller.signal.aborted)
              throw new Error('the subscription delivered an event after its signal aborted');
            seen.push(next.value);
            if (enough(seen)) {
              controller.abort();
              deadline = Date.now() + 2_000;
            }
          }
        } finally {
          controller.abort();
          void iterator.return?.();
        }
        expect(enough(seen)).toBe(true);
        return { seen, last: seen[seen.length - 1].position };
      }
    });

    describe('unstorable events', () => {
      it('refuses data holding a NUL character, leaving a new stream absent', async () => {
        const streamId = streamName('nul-new');
        const event = { ...probe('nul'), data: { note: 'before\u0000after' } };
        const error = await refusal(store.append(streamId, 'no-stream', [event]));
        expect(error).toBeInstanceOf(UnstorableEvent);
        expect((error as UnstorableEvent).eventId.toLowerCase()).toBe(event.eventId);
        expect(await store.readStream(streamId)).toEqual([]);
      });

      it('refuses a whole batch with one bad event, leaving the stream as it was', async () => {
        const streamId = streamName('nul-batch');
        const existing = await store.append(streamId, 'no-stream', probes(1));
        const bad = { ...probe('nested'), data: { list: [{ deep: '\u0000' }] } };
        for (const expected of [0, 'any'] as const) {
          const error = await refusal(store.append(streamId, expected, [probe('good'), bad]));
          expect(error).toBeInstanceOf(UnstorableEvent);
        }
        expect(await store.readStream(streamId)).toEqual(existing.events);
        // The refusal poisoned nothing: the stream takes the next good append.
        const next = await store.append(streamId, 0, probes(1));
        expect(next.events[0].revision).toBe(1);
      });

      it('refuses an eventId that is not a UUID', async () => {
        const streamId = streamName('bad-id');
        const existing = await store.append(streamId, 'no-stream', probes(1));
        for (const eventId of ['not-a-uuid', '', '123', `${randomUUID()}x`]) {
          const error = await refusal(store.append(streamId, 'any', [{ ...probe('x'), eventId }]));
          expect(error).toBeInstanceOf(UnstorableEvent);
          expect((error as UnstorableEvent).eventId).toBe(eventId);
        }
        expect(await store.readStream(streamId)).toEqual(existing.events);
      });

      it('refuses a lone UTF-16 surrogate, or stores it so that it still verifies', async () => {
        const streamId = streamName('surrogate');
        const event = { ...probe('s'), data: { note: 'half \ud83d of an emoji' } };
        const outcome = await store.append(streamId, 'no-stream', [event]).then(
          () => null,
          (error: unknown) => error,
        );
        const stored = await store.readStream(streamId);
        if (outcome === null) {
          expect(stored).toHaveLength(1);
          expect(stored[0].data).toEqual(event.data);
          expect(hashEnvelope(stored[0])).toBe(stored[0].hash);
        } else {
          expect(outcome).toBeInstanceOf(UnstorableEvent);
          expect(stored).toEqual([]);
        }
      });
    });

    async function revisions(
      streamId: string,
      options?: Parameters<EventStore['readStream']>[1],
    ): Promise<number[]> {
      return (await store.readStream(streamId, options)).map((e) => e.revision);
    }
  });
}

const METADATA = {
  actor: 'conformance',
  source: 'test',
  causationId: null,
  occurredAt: '2025-03-01T12:00:00.000Z',
  schemaVersion: 1,
};

function probe(label: string): ProposedEvent {
  return {
    eventId: randomUUID(),
    type: 'ConformanceProbe',
    data: { label, at: Date.now() },
    metadata: { ...METADATA, correlationId: randomUUID() },
  };
}

function probes(count: number): ProposedEvent[] {
  return Array.from({ length: count }, (_, i) => probe(`probe-${i}`));
}

function streamName(purpose: string): string {
  return `conformance-${purpose}-${randomUUID()}`;
}

function eventIds(events: readonly RecordedEvent[]): string[] {
  return events.map((e) => e.eventId);
}

/** What must match when the same event is read twice: where it is and what it is. */
function identity(event: RecordedEvent): string {
  return `${event.position} ${event.streamId}@${event.revision} ${event.eventId} ${event.hash}`;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The promise's value, or 'timed out' if it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), Math.max(ms, 0));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error a promise rejects with; fails the test if it resolves. */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the store to refuse, but it accepted');
}

function expectWrongRevision(
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
  actual: number,
): void {
  expect(error).toBeInstanceOf(WrongExpectedRevision);
  expect(error).toMatchObject({ streamId, expected, actual });
}

import type { ReadStreamOptions } from '../event-store';
import { chainEvents, hashEnvelope, type StreamHead } from '../hash-chain';
import type { ProposedEvent, RecordedEvent } from '../ledger-event';
import { verifyLog, type LogSource } from './verify-log';

const RECORDED_AT = '2025-03-01T12:00:00.000Z';

function proposed(n: number): ProposedEvent {
  return {
    eventId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    type: 'DeploymentStarted',
    data: { step: n },
    metadata: {
      actor: 'ci',
      source: 'github',
      correlationId: `corr-${n}`,
      causationId: null,
      occurredAt: RECORDED_AT,
      schemaVersion: 1,
    },
  };
}

const position = (n: number) => `p-${String(n).padStart(6, '0')}`;

/**
 * A log in global order built by appending one event at a time to the given streams, in the
 * order given: ['a', 'b', 'a'] is a-0, b-0, a-1.
 */
function buildLog(appendOrder: readonly string[]): RecordedEvent[] {
  const heads = new Map<string, StreamHead>();
  return appendOrder.map((streamId, i) => {
    const [event] = chainEvents(
      streamId,
      heads.get(streamId) ?? null,
      [proposed(i + 1)],
      RECORDED_AT,
    );
    heads.set(streamId, { revision: event.revision, hash: event.hash });
    return { ...event, position: position(i + 1) };
  });
}

/** A store over one table of rows, like SQL: the feed and the streams are views of it. */
class InMemoryLog implements LogSource {
  readonly readAllCalls: Array<{ after: string | null; limit: number }> = [];
  readonly readStreamCalls: Array<{ streamId: string; options: ReadStreamOptions }> = [];

  constructor(public rows: RecordedEvent[]) {}

  readAll(after: string | null, limit: number): Promise<RecordedEvent[]> {
    this.readAllCalls.push({ after, limit });
    const feed = [...this.rows].sort((a, b) => a.position.localeCompare(b.position));
    const next = feed.filter((e) => after === null || e.position > after).slice(0, limit);
    return Promise.resolve(next);
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.readStreamCalls.push({ streamId, options });
    const backward = options.direction === 'backward';
    const from = options.fromRevision ?? (backward ? Infinity : 0);
    const events = this.rows
      .filter(
        (e) => e.streamId === streamId && (backward ? e.revision <= from : e.revision >= from),
      )
      .sort((a, b) => (backward ? b.revision - a.revision : a.revision - b.revision));
    return Promise.resolve(events.slice(0, options.limit ?? Infinity));
  }

  /** The row at this position, for tampering. */
  at(pos: number): RecordedEvent {
    const row = this.rows.find((e) => e.position === position(pos));
    if (!row) throw new Error(`no row at ${pos}`);
    return row;
  }

  replace(pos: number, edit: (row: RecordedEvent) => RecordedEvent): void {
    this.rows = this.rows.map((row) => (row.position === position(pos) ? edit(row) : row));
  }

  delete(pos: number): void {
    this.rows = this.rows.filter((row) => row.position !== position(pos));
  }
}

// a-0 b-0 a-1 c-0 b-1 a-2 c-1 a-3 b-2 c-2
const ORDER = ['a', 'b', 'a', 'c', 'b', 'a', 'c', 'a', 'b', 'c'];

describe('verifyLog', () => {
  it('reports an intact log with its event and stream counts and last position', async () => {
    const log = new InMemoryLog(buildLog(ORDER));
    await expect(verifyLog(log, { pageSize: 3 })).resolves.toEqual({
      intact: true,
      events: 10,
      streams: 3,
      lastPosition: position(10),
    });
    // Pages of 3 resume from each page's last position until an empty page.
    expect(log.readAllCalls).toEqual([
      { after: null, limit: 3 },
      { after: position(3), limit: 3 },
      { after: position(6), limit: 3 },
      { after: position(9), limit: 3 },
      { after: position(10), limit: 3 },
    ]);
    // Every stream fits the cache: no predecessor had to be read back.
    expect(log.readStreamCalls).toEqual([]);
  });

  it('reports an empty log as intact', async () => {
    await expect(verifyLog(new InMemoryLog([]))).resolves.toEqual({
      intact: true,
      events: 0,
      streams: 0,
      lastPosition: null,
    });
  });

  it('reports edited data at its stream, revision and position', async () => {
    const log = new InMemoryLog(buildLog(ORDER));
    log.replace(5, (row) => ({ ...row, data: { step: 99 } })); // b-1
    const verdict = await verifyLog(log, { pageSize: 4 });
    expect(verdict).toEqual({
      intact: false,
      events: 4,
      broken: {
        streamId: 'b',
        revision: 1,
        position: position(5),
        reason: 'hash-mismatch',
        expectedHash: hashEnvelope(log.at(5)),
        foundHash: log.at(5).hash,
      },
    });
  });

  it('reports an edited and re-hashed event where its successor no longer links', async () => {
    const log = new InMemoryLog(buildLog(ORDER));
    const original = log.at(3); // a-1
    log.replace(3, (row) => {
      const edited = { ...row, data: { step: -1 } };
      return { ...edited, hash: hashEnvelope(edited) };
    });
    const verdict = await verifyLog(log);
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toEqual({
        streamId: 'a',
        revision: 2,
        position: position(6),
        reason: 'broken-link',
        expectedHash: log.at(3).hash,
        foundHash: original.hash,
      });
  });

  it('reports a deleted middle event as a revision gap', async () => {
    const log = new InMemoryLog(buildLog(ORDER));
    const predecessor = log.at(1); // a-0
    log.delete(3); // a-1
    const verdict = await verifyLog(log);
    expect(verdict).toEqual({
      intact: false,
      events: 4,
      broken: {
        streamId: 'a',
        revision: 2,
        position: position(6),
        reason: 'revision-gap',
        expectedRevision: 1,
        expectedHash: predecessor.hash,
        foundHash: log.at(6).prevHash,
      },
    });
  });

  it('reports swapped revisions where the feed first meets the misplaced one', async () => {
    const log = new InMemoryLog(buildLog(ORDER));
    log.replace(3, (row) => ({ ...row, revision: 2 })); // was a-1
    log.replace(6, (row) => ({ ...row, revision: 1 })); // was a-2
    const verdict = await verifyLog(log);
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toMatchObject({
        streamId: 'a',
        revision: 2,
        position: position(3),
        reason: 'revision-gap',
        expectedRevision: 1,
      });
  });

  it('reports a revision the feed delivers twice as out of order', async () => {
    const rows = buildLog(ORDER);
    // A feed that repeats a-1 after a-2 (a store whose global order contradicts the stream's).
    const log = new InMemoryLog([...rows, { ...rows[2], position: position(11) }]);
    const verdict = await verifyLog(log);
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toMatchObject({
        streamId: 'a',
        revision: 1,
        position: position(11),
        reason: 'revision-out-of-order',
        expectedRevision: 4,
      });
  });

  it('reports a forged first event that does not start from genesis', async () => {
    const log = new InMemoryLog(buildLog(ORDER));
    log.replace(4, (row) => {
      const forged = { ...row, prevHash: 'e'.repeat(64) };
      return { ...forged, hash: hashEnvelope(forged) };
    });
    const verdict = await verifyLog(log);
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toMatchObject({
        streamId: 'c',
        revision: 0,
        position: position(4),
        reason: 'broken-link',
        foundHash: 'e'.repeat(64),
      });
  });

  describe('with more streams than the cache holds', () => {
    // Ten streams, each appended to five times, round-robin: every lookup misses a cache of 3.
    const manyStreams = Array.from({ length: 50 }, (_, i) => `s${i % 10}`);

    it('reads predecessors back from the store and still verifies the whole log', async () => {
      const log = new InMemoryLog(buildLog(manyStreams));
      await expect(verifyLog(log, { streamCacheSize: 3, pageSize: 7 })).resolves.toEqual({
        intact: true,
        events: 50,
        streams: 10,
        lastPosition: position(50),
      });
      // Revision 0 needs no predecessor; each of the 40 later events is a miss.
      expect(log.readStreamCalls).toHaveLength(40);
      expect(log.readStreamCalls[0]).toEqual({
        streamId: 's0',
        options: { direction: 'backward', fromRevision: 0, limit: 1 },
      });
    });

    it('needs no read-back when the cache is large enough', async () => {
      const log = new InMemoryLog(buildLog(manyStreams));
      await verifyLog(log, { streamCacheSize: 10 });
      expect(log.readStreamCalls).toEqual([]);
    });

    it('still finds a deletion in a stream whose head was evicted', async () => {
      const log = new InMemoryLog(buildLog(manyStreams));
      const before = log.at(14); // s3-1
      log.delete(24); // s3-2
      const verdict = await verifyLog(log, { streamCacheSize: 3 });
      expect(verdict).toEqual({
        intact: false,
        events: 32,
        broken: {
          streamId: 's3',
          revision: 3,
          position: position(34),
          reason: 'revision-gap',
          expectedRevision: 2,
          expectedHash: before.hash,
          foundHash: log.at(34).prevHash,
        },
      });
    });

    it('still finds an edited and re-hashed event in a stream whose head was evicted', async () => {
      const log = new InMemoryLog(buildLog(manyStreams));
      log.replace(18, (row) => {
        const edited = { ...row, type: 'ChangeApproved' };
        return { ...edited, hash: hashEnvelope(edited) };
      });
      const verdict = await verifyLog(log, { streamCacheSize: 3 });
      expect(verdict.intact).toBe(false);
      if (!verdict.intact)
        expect(verdict.broken).toMatchObject({
          streamId: 's7',
          revision: 2,
          position: position(28),
          reason: 'broken-link',
          expectedHash: log.at(18).hash,
        });
    });
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      verifyLog(new InMemoryLog(buildLog(ORDER)), { signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
  });
});

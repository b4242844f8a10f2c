import { chainEvents, GENESIS_HASH, hashEnvelope } from '../hash-chain';
import type { ProposedEvent, RecordedEvent } from '../ledger-event';
import { checkLink, verifyStream } from './verify-stream';

const RECORDED_AT = '2025-03-01T12:00:00.000Z';

function proposed(n: number): ProposedEvent {
  return {
    eventId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    type: 'ChangeRequested',
    data: { title: `change ${n}`, services: ['billing'] },
    metadata: {
      actor: 'alice',
      source: 'api',
      correlationId: `corr-${n}`,
      causationId: null,
      occurredAt: RECORDED_AT,
      schemaVersion: 1,
    },
  };
}

/** A stream of `count` chained events with positions p-000001, p-000002, … */
function chain(streamId: string, count: number): RecordedEvent[] {
  const events = Array.from({ length: count }, (_, i) => proposed(i + 1));
  return chainEvents(streamId, null, events, RECORDED_AT).map((event, i) => ({
    ...event,
    position: `p-${String(i + 1).padStart(6, '0')}`,
  }));
}

/** Re-hashes an event after editing it, as a tamperer who knows the algorithm would. */
function rehash(event: RecordedEvent): RecordedEvent {
  return { ...event, hash: hashEnvelope(event) };
}

describe('verifyStream', () => {
  it('accepts an intact stream and reports its head', () => {
    const events = chain('change-1', 5);
    expect(verifyStream('change-1', events)).toEqual({
      intact: true,
      streamId: 'change-1',
      events: 5,
      head: { revision: 4, hash: events[4].hash },
    });
  });

  it('accepts an empty stream', () => {
    expect(verifyStream('change-1', [])).toEqual({
      intact: true,
      streamId: 'change-1',
      events: 0,
      head: null,
    });
  });

  it('reports edited data as a hash mismatch at that revision', () => {
    const events = chain('change-1', 5);
    events[2] = { ...events[2], data: { title: 'something else' } };
    const verdict = verifyStream('change-1', events);
    expect(verdict).toEqual({
      intact: false,
      broken: {
        streamId: 'change-1',
        revision: 2,
        position: 'p-000003',
        reason: 'hash-mismatch',
        expectedHash: hashEnvelope(events[2]),
        foundHash: events[2].hash,
      },
    });
  });

  it('reports edited metadata (who did it) as a hash mismatch', () => {
    const events = chain('change-1', 3);
    events[1] = { ...events[1], metadata: { ...events[1].metadata, actor: 'mallory' } };
    const verdict = verifyStream('change-1', events);
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toMatchObject({ revision: 1, reason: 'hash-mismatch' });
  });

  it('reports an edited and re-hashed event at the next revision, as a broken link', () => {
    const events = chain('change-1', 5);
    const originalHash = events[2].hash;
    events[2] = rehash({ ...events[2], data: { title: 'rewritten' } });
    const verdict = verifyStream('change-1', events);
    expect(verdict).toEqual({
      intact: false,
      broken: {
        streamId: 'change-1',
        revision: 3,
        position: 'p-000004',
        reason: 'broken-link',
        expectedHash: events[2].hash,
        foundHash: originalHash,
      },
    });
  });

  it('reports a first event that does not start from the genesis hash', () => {
    const events = chain('change-1', 2);
    const forged = 'f'.repeat(64);
    events[0] = rehash({ ...events[0], prevHash: forged });
    const verdict = verifyStream('change-1', events);
    expect(verdict).toEqual({
      intact: false,
      broken: {
        streamId: 'change-1',
        revision: 0,
        position: 'p-000001',
        reason: 'broken-link',
        expectedHash: GENESIS_HASH,
        foundHash: forged,
      },
    });
  });

  it('reports a deleted middle event as a revision gap at the event after it', () => {
    const events = chain('change-1', 5);
    const withoutMiddle = [...events.slice(0, 2), ...events.slice(3)];
    expect(verifyStream('change-1', withoutMiddle)).toEqual({
      intact: false,
      broken: {
        streamId: 'change-1',
        revision: 3,
        position: 'p-000004',
        reason: 'revision-gap',
        expectedRevision: 2,
        expectedHash: events[1].hash,
        foundHash: events[3].prevHash,
      },
    });
  });

  it('reports a deleted first event as a gap expecting revision 0', () => {
    const events = chain('change-1', 3);
    const verdict = verifyStream('change-1', events.slice(1));
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toMatchObject({
        revision: 1,
        reason: 'revision-gap',
        expectedRevision: 0,
        expectedHash: GENESIS_HASH,
      });
  });

  it('reports a repeated or backward revision as out of order', () => {
    const events = chain('change-1', 4);
    const swapped = [events[0], events[2], events[1], events[3]];
    const verdict = verifyStream('change-1', swapped);
    // Revision 2 arrives where 1 was due: a gap; then 1 would go backwards.
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toMatchObject({ revision: 2, reason: 'revision-gap' });

    const repeated = verifyStream('change-1', [events[0], events[1], events[1]]);
    expect(repeated.intact).toBe(false);
    if (!repeated.intact)
      expect(repeated.broken).toMatchObject({
        revision: 1,
        reason: 'revision-out-of-order',
        expectedRevision: 2,
        position: 'p-000002',
      });
  });

  it('reports two events whose revisions were swapped in storage as a broken link', () => {
    const events = chain('change-1', 4);
    // Rows keep their place; only the revision numbers are exchanged, so a read in revision
    // order sees contiguous revisions whose hashes no longer match.
    const tampered = [
      events[0],
      { ...events[2], revision: 1 },
      { ...events[1], revision: 2 },
      events[3],
    ];
    const verdict = verifyStream('change-1', tampered);
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toMatchObject({
        revision: 1,
        position: 'p-000003',
        reason: 'broken-link',
        expectedHash: events[0].hash,
        foundHash: events[1].hash,
      });
  });

  it('reports an event of another stream mixed into the read', () => {
    const events = chain('change-1', 3);
    const stranger = chain('change-2', 2)[1];
    const verdict = verifyStream('change-1', [events[0], stranger]);
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toMatchObject({
        streamId: 'change-2',
        revision: 1,
        reason: 'wrong-stream',
      });
  });

  it('reports only the first of several breaks', () => {
    const events = chain('change-1', 6);
    events[1] = { ...events[1], type: 'ChangeApproved' };
    events[4] = { ...events[4], data: {} };
    const verdict = verifyStream('change-1', events);
    expect(verdict.intact).toBe(false);
    if (!verdict.intact)
      expect(verdict.broken).toMatchObject({ revision: 1, reason: 'hash-mismatch' });
  });

  it('detects a changed recordedAt or eventId, which the hash also covers', () => {
    for (const edit of [
      { recordedAt: '2025-03-01T12:00:00.001Z' },
      { eventId: '00000000-0000-4000-8000-0000000000ff' },
    ]) {
      const events = chain('change-1', 2);
      events[1] = { ...events[1], ...edit };
      const verdict = verifyStream('change-1', events);
      expect(verdict.intact).toBe(false);
      if (!verdict.intact) expect(verdict.broken.reason).toBe('hash-mismatch');
    }
  });
});

describe('checkLink', () => {
  it('accepts a successor and refuses anything else', () => {
    const [first, second] = chain('change-1', 2);
    expect(checkLink(null, first)).toBeNull();
    expect(checkLink({ revision: 0, hash: first.hash }, second)).toBeNull();
    expect(checkLink(null, second)?.reason).toBe('revision-gap');
    expect(checkLink({ revision: 0, hash: 'a'.repeat(64) }, second)?.reason).toBe('broken-link');
    expect(checkLink({ revision: 1, hash: second.hash }, second)?.reason).toBe(
      'revision-out-of-order',
    );
  });
});

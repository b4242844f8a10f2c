import { chainEvents, hashEnvelope } from '../../hash-chain';
import type { EventMetadata, ProposedEvent } from '../../ledger-event';
import { UnstorableEvent } from '../../ledger-errors';
import {
  assertStorable,
  fromEsdbEvent,
  isLedgerStream,
  isSystemEvent,
  normalizeEventId,
  type StoredEsdbEvent,
  toEsdbEvent,
  UnreadableLedgerEvent,
} from './esdb-event-mapping';

const META: EventMetadata = {
  actor: 'alice@example.com',
  source: 'api',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  occurredAt: '2025-01-02T03:04:05.006Z',
  schemaVersion: 2,
};
const PREFIXES = ['change-', 'service-', 'alert-'];

function event(overrides: Partial<ProposedEvent> = {}): ProposedEvent {
  return {
    eventId: '0b5e7a43-2a4e-4d1c-9a55-36b1a8f0c001',
    type: 'ChangeRequested',
    data: { title: 'Raise pool', steps: ['a', 'b'] },
    metadata: META,
    ...overrides,
  };
}

/** What the server hands back for an event the client appended from `toEsdbEvent`'s output. */
function storedFrom(
  appended: ReturnType<typeof toEsdbEvent>,
  streamId: string,
  revision: number,
): StoredEsdbEvent {
  return {
    streamId,
    id: appended.id,
    revision: BigInt(revision),
    type: appended.type,
    isJson: true,
    data: JSON.parse(JSON.stringify(appended.data)) as unknown,
    metadata: JSON.parse(JSON.stringify(appended.metadata)) as unknown,
    position: { commit: 4096n + BigInt(revision), prepare: 4096n + BigInt(revision) },
  };
}

describe('envelope to EventStoreDB event', () => {
  const [first, second] = chainEvents(
    'change-1',
    null,
    [
      event(),
      event({
        eventId: '0b5e7a43-2a4e-4d1c-9a55-36b1a8f0c002',
        metadata: { ...META, causationId: null },
      }),
    ],
    '2025-01-02T03:04:06.000Z',
  );

  it('keeps our id, type and data, and carries metadata plus the chain fields', () => {
    const appended = toEsdbEvent(first);
    expect(appended).toEqual({
      id: first.eventId,
      contentType: 'application/json',
      type: 'ChangeRequested',
      data: first.data,
      metadata: {
        ...META,
        revision: 0,
        recordedAt: '2025-01-02T03:04:06.000Z',
        prevHash: first.prevHash,
        hash: first.hash,
        $correlationId: 'corr-1',
        $causationId: 'cause-1',
      },
    });
    expect(toEsdbEvent(second).metadata).not.toHaveProperty('$causationId');
  });

  it('reads back exactly the envelope that was hashed, with its $all position', () => {
    const read = fromEsdbEvent(storedFrom(toEsdbEvent(second), 'change-1', 1));
    expect(read).toEqual({ ...second, position: 'esdb:4097:4097' });
    expect(hashEnvelope(read)).toBe(second.hash);
  });

  it('lower-cases event ids, as the server returns them', () => {
    expect(normalizeEventId('0B5E7A43-2A4E-4D1C-9A55-36B1A8F0C001')).toBe(event().eventId);
    const stored = storedFrom(toEsdbEvent(first), 'change-1', 0);
    expect(fromEsdbEvent({ ...stored, id: stored.id.toUpperCase() }).eventId).toBe(first.eventId);
  });
});

describe('reading what is not a ledger event', () => {
  const [chained] = chainEvents('change-1', null, [event()], '2025-01-02T03:04:06.000Z');
  const good = storedFrom(toEsdbEvent(chained), 'change-1', 0);
  const metadata = good.metadata as Record<string, unknown>;
  const without = (key: string) =>
    Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== key));

  it.each([
    ['binary content', { isJson: false }, /application\/json/],
    ['data that is no object', { data: [1, 2] }, /data/],
    ['no metadata', { metadata: undefined }, /metadata is not/],
    ['no hash', { metadata: without('hash') }, /hash/],
    ['a malformed prevHash', { metadata: { ...metadata, prevHash: 'abc' } }, /prevHash/],
    ['no recordedAt', { metadata: without('recordedAt') }, /recordedAt/],
    ['no actor', { metadata: without('actor') }, /actor/],
    ['a revision other than its place', { revision: 3n }, /revision/],
    ['no $all position (server before 22.10)', { position: undefined }, /position/],
    [
      'the no-position marker',
      { position: { commit: 18446744073709551615n, prepare: 18446744073709551615n } },
      /position/,
    ],
  ])('refuses an event with %s', (_what, change, reason) => {
    const read = () => fromEsdbEvent({ ...good, ...change });
    expect(read).toThrow(UnreadableLedgerEvent);
    expect(read).toThrow(reason);
  });
});

describe('what the adapter refuses to store', () => {
  it.each([
    ['an eventId that is no UUID', 'change-1', event({ eventId: 'order-42' }), /UUID/],
    ['a stream outside the ledger prefixes', 'orders-1', event(), /prefix/],
    ['a system stream', '$change-1', event(), /prefix/],
    ['a system event type', 'change-1', event({ type: '$metadata' }), /"\$"/],
    ['an empty event type', 'change-1', event({ type: '' }), /empty/],
    [
      'metadata that would collide with the chain fields',
      'change-1',
      event({ metadata: { ...META, hash: 'x' } as EventMetadata }),
      /reserved/,
    ],
    [
      'metadata with a $ key',
      'change-1',
      event({ metadata: { ...META, $correlationId: 'x' } as EventMetadata }),
      /reserved/,
    ],
    ['a NUL in data', 'change-1', event({ data: { note: 'a\u0000b' } }), /NUL/],
    ['a NUL in a data key', 'change-1', event({ data: { 'a\u0000': 1 } }), /data key/],
    [
      'a NUL deep in metadata',
      'change-1',
      event({ metadata: { ...META, actor: '\u0000' } }),
      /NUL/,
    ],
    [
      'a lone surrogate in a list',
      'change-1',
      event({ data: { l: ['ok', '\ud800'] } }),
      /surrogate/,
    ],
    ['a NUL in the stream name', 'change-\u0000', event(), /streamId/],
  ])('refuses %s', (_what, stream, proposed, reason) => {
    const check = () => assertStorable(stream, proposed, PREFIXES);
    expect(check).toThrow(UnstorableEvent);
    expect(check).toThrow(reason);
  });

  it('accepts a well-formed event on a ledger stream, emoji and escapes included', () => {
    expect(() => assertStorable('service-checkout', event(), PREFIXES)).not.toThrow();
    const text = event({ data: { s: '🚀 \\u0000 is text, \u2028 too' } });
    expect(() => assertStorable('change-1', text, PREFIXES)).not.toThrow();
  });

  it('tells system events and ledger streams apart', () => {
    expect(isSystemEvent('$stats-127.0.0.1:2113', 'x')).toBe(true);
    expect(isSystemEvent('change-1', '$streamDeleted')).toBe(true);
    expect(isSystemEvent('change-1', 'ChangeRequested')).toBe(false);
    expect(isLedgerStream('alert-7', PREFIXES)).toBe(true);
    expect(isLedgerStream('changes-7', PREFIXES)).toBe(false);
    expect(isLedgerStream('$$change-7', PREFIXES)).toBe(false);
  });
});

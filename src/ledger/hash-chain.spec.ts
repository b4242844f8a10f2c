import { createHash } from 'node:crypto';
import { chainEvents, GENESIS_HASH, hashEnvelope, sameContent } from './hash-chain';
import type { ProposedEvent, RecordedEvent } from './ledger-event';

const metadata = {
  actor: 'alice',
  source: 'api',
  correlationId: 'c-1',
  causationId: null,
  occurredAt: '2026-11-22T10:00:00.000Z',
  schemaVersion: 1,
};
const proposed = (eventId: string, data: Record<string, unknown>): ProposedEvent => ({
  eventId,
  type: 'ChangeRequested',
  data,
  metadata,
});
const recordedAt = '2026-11-22T10:00:01.000Z';

describe('hash chain', () => {
  it('hashes the RFC 8785 canonical JSON of the envelope, whatever the key order', () => {
    const [event] = chainEvents(
      'change-1',
      null,
      [proposed('e1', { b: 1, a: [2, 'x'] })],
      recordedAt,
    );
    const canonical =
      '{"data":{"a":[2,"x"],"b":1},"eventId":"e1","metadata":{"actor":"alice","causationId":null,' +
      '"correlationId":"c-1","occurredAt":"2026-11-22T10:00:00.000Z","schemaVersion":1,"source":"api"},' +
      `"prevHash":"${GENESIS_HASH}","recordedAt":"${recordedAt}","revision":0,"streamId":"change-1",` +
      '"type":"ChangeRequested"}';
    expect(event.hash).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(hashEnvelope({ ...event, data: { a: [2, 'x'], b: 1 } })).toBe(event.hash);
  });

  it('links each event to the one before, from genesis or from the stream head', () => {
    const first = chainEvents('s', null, [proposed('e1', {}), proposed('e2', {})], recordedAt);
    expect(first.map((e) => e.revision)).toEqual([0, 1]);
    expect(first[0].prevHash).toBe(GENESIS_HASH);
    expect(first[1].prevHash).toBe(first[0].hash);
    const next = chainEvents(
      's',
      { revision: 1, hash: first[1].hash },
      [proposed('e3', {})],
      recordedAt,
    );
    expect(next[0]).toMatchObject({ revision: 2, prevHash: first[1].hash });
  });

  it('changes the hash when anything covered changes, but not for the position', () => {
    const [event] = chainEvents('s', null, [proposed('e1', { n: 1 })], recordedAt);
    const variants = [
      { ...event, data: { n: 2 } },
      { ...event, revision: 1 },
      { ...event, streamId: 't' },
      { ...event, metadata: { ...metadata, actor: 'mallory' } },
      { ...event, recordedAt: '2026-11-22T10:00:02.000Z' },
      { ...event, prevHash: 'f'.repeat(64) },
    ];
    for (const variant of variants) expect(hashEnvelope(variant)).not.toBe(event.hash);
    expect(hashEnvelope({ ...event, position: '9:9' } as RecordedEvent)).toBe(event.hash);
  });

  it('treats a redelivery by another route as the same event, but not another actor or data', () => {
    const [chained] = chainEvents('s', null, [proposed('e1', { n: 1 })], recordedAt);
    const stored: RecordedEvent = { ...chained, position: '1:1' };
    const viaKafka = {
      ...proposed('e1', { n: 1 }),
      metadata: { ...metadata, source: 'kafka:x', correlationId: 'x/0/7' },
    };
    expect(sameContent(stored, viaKafka, 's')).toBe(true);
    expect(sameContent(stored, proposed('e1', { n: 2 }), 's')).toBe(false);
    expect(sameContent(stored, { ...viaKafka, metadata: { ...metadata, actor: 'bob' } }, 's')).toBe(
      false,
    );
    expect(sameContent(stored, viaKafka, 'other-stream')).toBe(false);
  });
});

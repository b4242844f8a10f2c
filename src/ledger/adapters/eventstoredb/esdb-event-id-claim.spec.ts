import {
  assertSeparate,
  CLAIM_EVENT_TYPE,
  claimEventId,
  claimedStream,
  claimStreamOf,
  DEFAULT_CLAIM_PREFIX,
} from './esdb-event-id-claim';

const EVENT_ID = '0b5e7a43-2a4e-4d1c-9a55-36b1a8f0c001';

describe('event id claims', () => {
  it('names one claim stream per event id, outside the ledger streams', () => {
    expect(claimStreamOf(EVENT_ID, DEFAULT_CLAIM_PREFIX)).toBe(`ledger-eventid-${EVENT_ID}`);
  });

  it('derives the same claim id for the same stream, another for another stream', () => {
    const forChange = claimEventId({ eventId: EVENT_ID, streamId: 'change-1' });
    expect(claimEventId({ eventId: EVENT_ID, streamId: 'change-1' })).toBe(forChange);
    expect(claimEventId({ eventId: EVENT_ID, streamId: 'service-checkout' })).not.toBe(forChange);
    // A well-formed name-based UUID: version 5, RFC 4122 variant.
    expect(forChange).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('reads the owning stream back from a claim, and nothing from anything else', () => {
    expect(claimedStream(CLAIM_EVENT_TYPE, { eventId: EVENT_ID, streamId: 'change-1' })).toBe(
      'change-1',
    );
    expect(claimedStream('SomethingElse', { streamId: 'change-1' })).toBeNull();
    expect(claimedStream(CLAIM_EVENT_TYPE, { streamId: 7 })).toBeNull();
    expect(claimedStream(CLAIM_EVENT_TYPE, null)).toBeNull();
  });

  it('refuses a claim prefix that overlaps the ledger stream prefixes', () => {
    expect(() => assertSeparate(DEFAULT_CLAIM_PREFIX, ['change-', 'service-'])).not.toThrow();
    expect(() => assertSeparate(DEFAULT_CLAIM_PREFIX, ['ledger-'])).toThrow(/overlaps/);
    expect(() => assertSeparate('ledger-', ['ledger-eventid-x'])).toThrow(/overlaps/);
    expect(() => assertSeparate('$claims-', ['change-'])).toThrow(RangeError);
    expect(() => assertSeparate('', ['change-'])).toThrow(RangeError);
  });
});

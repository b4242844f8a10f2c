import { createHash } from 'node:crypto';

/**
 * EventStoreDB keeps event ids unique per stream only; the ledger needs them unique across all
 * streams (a redelivered deploy matched to another change must not be recorded twice). So
 * before an event is written, its id is claimed for its stream: the first event of a stream
 * named after the id, appended only if that stream does not exist yet. The claim event's own
 * id is derived from (eventId, streamId), so claiming again for the same stream is an
 * idempotent re-append the server acknowledges, while a claim for another stream is refused.
 *
 * Claim streams are outside the ledger's stream prefixes, so they never enter the feed.
 */
export const DEFAULT_CLAIM_PREFIX = 'ledger-eventid-';
export const CLAIM_EVENT_TYPE = 'EventIdClaimed';

export interface EventIdClaim {
  readonly eventId: string;
  readonly streamId: string;
}

export function claimStreamOf(eventId: string, claimPrefix: string): string {
  return `${claimPrefix}${eventId}`;
}

/** A name-based UUID (version 5 layout, SHA-256 digest) of the eventId and the stream. */
export function claimEventId({ eventId, streamId }: EventIdClaim): string {
  const digest = createHash('sha256').update(`${eventId}\n${streamId}`, 'utf8').digest();
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The stream a stored claim names, or null when the stored event is not a claim. */
export function claimedStream(type: string, data: unknown): string | null {
  if (type !== CLAIM_EVENT_TYPE || typeof data !== 'object' || data === null) return null;
  const { streamId } = data as { streamId?: unknown };
  return typeof streamId === 'string' ? streamId : null;
}

/** Claim streams must never enter the feed, and ledger streams must never look like claims. */
export function assertSeparate(claimPrefix: string, streamPrefixes: readonly string[]): void {
  if (claimPrefix === '' || claimPrefix.startsWith('$')) {
    throw new RangeError('the event id claim prefix must be non-empty and not start with "$"');
  }
  const overlapping = streamPrefixes.find(
    (prefix) => prefix.startsWith(claimPrefix) || claimPrefix.startsWith(prefix),
  );
  if (overlapping !== undefined) {
    throw new RangeError(
      `stream prefix ${JSON.stringify(overlapping)} overlaps the event id claim prefix ${JSON.stringify(claimPrefix)}`,
    );
  }
}

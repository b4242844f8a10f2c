import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ChainedEnvelope, ProposedEvent, RecordedEvent } from './ledger-event';

/** prevHash of every stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

/** SHA-256 over the RFC 8785 (JCS) canonical JSON of the envelope without its hash. */
export function hashEnvelope(envelope: ChainedEnvelope): string {
  const {
    eventId,
    streamId,
    revision,
    type,
    data,
    metadata,
    recordedAt,
    prevHash,
  }: ChainedEnvelope = envelope;
  const canonical = canonicalize({
    eventId,
    streamId,
    revision,
    type,
    data,
    metadata,
    recordedAt,
    prevHash,
  });
  if (canonical === undefined) throw new TypeError('event envelope cannot be canonicalized');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Links new events onto a stream's head (null for a new stream). */
export function chainEvents(
  streamId: string,
  head: StreamHead | null,
  events: readonly ProposedEvent[],
  recordedAt: string,
): Array<ChainedEnvelope & { hash: string }> {
  let prevHash = head?.hash ?? GENESIS_HASH;
  let revision = head ? head.revision : -1;
  return events.map((event) => {
    revision += 1;
    const envelope: ChainedEnvelope = {
      eventId: event.eventId,
      streamId,
      revision,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      recordedAt,
      prevHash,
    };
    const hash = hashEnvelope(envelope);
    prevHash = hash;
    return { ...envelope, hash };
  });
}

/** Same event content: what makes a re-append with a known eventId an idempotent no-op. */
export function sameContent(stored: RecordedEvent, proposed: ProposedEvent, streamId: string) {
  return (
    stored.streamId === streamId &&
    canonicalize({ type: stored.type, data: stored.data, metadata: stored.metadata }) ===
      canonicalize({ type: proposed.type, data: proposed.data, metadata: proposed.metadata })
  );
}

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
  // Picked field by field: a stored event also carries its hash and position, never hashed.
  const { eventId, streamId, revision, type, data, metadata, recordedAt, prevHash } = envelope;
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

/** What an event says happened: its type and data, who did it and when. */
function substance({ type, data, metadata }: ProposedEvent): string | undefined {
  return canonicalize({ type, data, actor: metadata.actor, occurredAt: metadata.occurredAt });
}

/**
 * Same substance on the same stream makes a re-append with a known eventId an idempotent
 * no-op. How the copy was delivered (source, correlation and causation ids: a Kafka offset, a
 * webhook request id) is left out: a redelivery by another route is still the same event.
 */
export function sameContent(stored: RecordedEvent, proposed: ProposedEvent, streamId: string) {
  return stored.streamId === streamId && substance(stored) === substance(proposed);
}

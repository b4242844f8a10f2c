import type { EventMetadata, ProposedEvent } from './ledger-event';

/** Version of our events' data shapes; readers upcast older ones when it moves. */
export const EVENT_SCHEMA_VERSION = 1;

/** An event ready to append, its data reduced to exactly the JSON the store keeps. */
export function proposeEvent(
  eventId: string,
  type: string,
  data: object,
  metadata: Omit<EventMetadata, 'schemaVersion'>,
): ProposedEvent {
  return {
    eventId,
    type,
    // Undefined fields vanish here as they would in storage, so the hash computed at append
    // is the hash recomputed at verification.
    data: JSON.parse(JSON.stringify(data)) as Record<string, unknown>,
    metadata: { ...metadata, schemaVersion: EVENT_SCHEMA_VERSION },
  };
}

/** Where an event's cause came from: a request, a message, another event. */
export interface EventOrigin {
  readonly source: string;
  readonly correlationId: string;
  readonly causationId?: string | null;
}

/** The metadata of an event that `actor` caused at `occurredAt`, by way of `origin`. */
export function metadataFor(
  actor: string,
  occurredAt: string,
  { source, correlationId, causationId }: EventOrigin,
): Omit<EventMetadata, 'schemaVersion'> {
  return { actor, source, correlationId, causationId: causationId ?? null, occurredAt };
}

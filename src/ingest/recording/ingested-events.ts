import { deterministicEventId } from '../../ledger/deterministic-event-id';
import type { ProposedEvent } from '../../ledger/ledger-event';
import { metadataFor, proposeEvent } from '../../ledger/propose-event';
import type { IngestOrigin } from './ingest-item';

export interface IngestedEvent {
  readonly type: string;
  readonly data: object;
}

/**
 * What one observation says, ready to append, with the authenticated sender as the actor.
 * Event ids derive from the sender's identity for the occurrence, so a redelivery finds them
 * stored and writes nothing.
 */
export function proposeIngested(
  sourceId: string,
  events: readonly IngestedEvent[],
  occurredAt: string,
  origin: IngestOrigin,
): ProposedEvent[] {
  return events.map((event) =>
    proposeEvent(
      deterministicEventId(sourceId, event.type),
      event.type,
      event.data,
      metadataFor(origin.sender, occurredAt, origin),
    ),
  );
}

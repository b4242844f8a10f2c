import { deterministicEventId } from '../../ledger/deterministic-event-id';
import type { EventStore } from '../../ledger/event-store';
import { proposeEvent } from '../../ledger/propose-event';
import type { IngestOrigin, IngestOutcome } from './ingest-item';

export interface IngestedEvent {
  readonly type: string;
  readonly data: object;
}

/**
 * Appends what one observation says, wherever the stream ends. Event ids derive from the
 * sender's identity for the occurrence, so a redelivery finds them stored and writes nothing.
 */
export async function appendIngested(
  store: EventStore,
  streamId: string,
  sourceId: string,
  events: readonly IngestedEvent[],
  actor: string,
  occurredAt: string,
  origin: IngestOrigin,
): Promise<IngestOutcome> {
  const proposed = events.map((event) =>
    proposeEvent(deterministicEventId(sourceId, event.type), event.type, event.data, {
      actor,
      source: origin.source,
      correlationId: origin.correlationId,
      causationId: null,
      occurredAt,
    }),
  );
  const appended = await store.append(streamId, 'any', proposed);
  return appended.alreadyStored
    ? { recorded: 0, alreadyRecorded: 1 }
    : { recorded: appended.events.length, alreadyRecorded: 0 };
}

import type { EventStore } from '../ledger/event-store';
import type { RecordedEvent } from '../ledger/ledger-event';
import { fold } from '../kernel/decider';
import { changeDecider } from './domain/change-decider';
import type { ChangeState } from './domain/change-state';
import type { ChangeEvent } from './domain/events';
import { upcast } from './domain/upcast';
import { changeStreamId } from './domain/change-stream';

export interface LoadedChange {
  readonly state: ChangeState;
  /** Last revision of the change's stream; -1 when it does not exist. */
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

/** The stored event as the decider sees it: its type and data in today's shape. */
export function asChangeEvent(event: RecordedEvent): ChangeEvent {
  return upcast({ type: event.type, data: event.data } as unknown as ChangeEvent);
}

/** A change's state, folded from its stream's events. */
export function foldChange(events: readonly RecordedEvent[]): ChangeState {
  return fold(changeDecider, events.map(asChangeEvent));
}

/** Reads a change's stream and folds it into its current state. */
export async function loadChange(store: EventStore, changeId: string): Promise<LoadedChange> {
  const events = await store.readStream(changeStreamId(changeId));
  return { state: foldChange(events), revision: events.length - 1, events };
}

import type { CommandOrigin } from '../kernel/command-origin';
import { fold, type Attributed, type Decider, type DomainEvent } from '../kernel/decider';
import type { Metrics } from '../observability/metrics';
import { commandEventId, decideAndAppend } from './decide-and-append';
import type { EventStore } from './event-store';
import type { RecordedEvent } from './ledger-event';
import { metadataFor, proposeEvent } from './propose-event';

export interface StreamDecision<Command, Event, State> {
  readonly decider: Decider<Command, Event, State>;
  readonly streamId: string;
  /** The stream's recorded events as the decider's own (they were its events when appended). */
  readonly asEvent: (event: RecordedEvent) => Event;
  /** Attempts before a lost race goes back to the caller. */
  readonly maxAttempts: number;
}

/**
 * The command path of a stream decided by a Decider alone (no policy, no facts): read, fold,
 * decide, append with the command's event ids. A command retried under its idempotency key,
 * or one that decides nothing, is answered from the state as it stands.
 */
export function decideOnStream<Command extends Attributed, Event extends DomainEvent, State, R>(
  store: EventStore,
  metrics: Metrics,
  { decider, streamId, asEvent, maxAttempts }: StreamDecision<Command, Event, State>,
  command: Command,
  origin: CommandOrigin,
  answer: (state: State, revision: number, recorded: boolean) => R,
): Promise<R> {
  const key = origin.idempotencyKey;
  return decideAndAppend(
    store,
    streamId,
    (events, revision) => {
      const state = fold(decider, events.map(asEvent));
      const retried = key !== undefined && events.some((e) => e.eventId === commandEventId(key, 0));
      const decided = retried ? [] : decider.decide(command, state);
      if (decided.length === 0) return Promise.resolve({ answer: answer(state, revision, false) });
      return Promise.resolve({
        append: decided.map((event, index) =>
          proposeEvent(
            commandEventId(key, index),
            event.type,
            event.data,
            metadataFor(command.actor.id, command.at, origin),
          ),
        ),
        answer: (appended) => {
          for (const event of decided) metrics.eventsAppended.inc({ type: event.type });
          return answer(
            fold({ ...decider, initialState: state }, decided),
            appended.lastRevision,
            true,
          );
        },
      });
    },
    { maxAttempts, onConflict: () => metrics.appendConflicts.inc() },
  );
}

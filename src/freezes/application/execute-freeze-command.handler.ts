import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commandEventId, decideAndAppend, type Attempt } from '../../ledger/decide-and-append';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { metadataFor, proposeEvent } from '../../ledger/propose-event';
import { Metrics } from '../../observability/metrics';
import { decideFreeze } from '../domain/decide-freeze';
import { emptyCalendar, evolveCalendar, type FreezeCalendar } from '../domain/freeze-calendar';
import { FREEZES_STREAM } from '../domain/freeze-events';
import { ExecuteFreezeCommand, type FreezeCommandResult } from './execute-freeze-command';
import { asFreezeEvent } from '../freeze-calendar.reader';

/** Freezes are declared by people, rarely: a few re-decisions after a lost race are enough. */
const MAX_ATTEMPTS = 10;

function freezeIn(calendar: FreezeCalendar, freezeId: string) {
  const freeze = calendar.get(freezeId);
  if (!freeze) throw new Error(`freeze ${freezeId} is missing from the calendar it was decided on`);
  return freeze;
}

@CommandHandler(ExecuteFreezeCommand)
export class ExecuteFreezeCommandHandler implements ICommandHandler<ExecuteFreezeCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: Metrics,
  ) {}

  execute({ command, origin }: ExecuteFreezeCommand): Promise<FreezeCommandResult> {
    const key = origin.idempotencyKey;
    return decideAndAppend(
      this.store,
      FREEZES_STREAM,
      (events, revision): Promise<Attempt<FreezeCommandResult>> => {
        const calendar = events.reduce(
          (c, e) => evolveCalendar(c, asFreezeEvent(e)),
          emptyCalendar,
        );
        // A retried request finds what its first delivery recorded and is not decided again.
        if (key !== undefined && events.some((e) => e.eventId === commandEventId(key, 0))) {
          return Promise.resolve({
            answer: { freeze: freezeIn(calendar, command.freezeId), revision },
          });
        }
        const decided = decideFreeze(command, calendar);
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
            for (const event of decided) this.metrics.eventsAppended.inc({ type: event.type });
            const after = decided.reduce(evolveCalendar, calendar);
            return { freeze: freezeIn(after, command.freezeId), revision: appended.lastRevision };
          },
        });
      },
      { maxAttempts: MAX_ATTEMPTS, onConflict: () => this.metrics.appendConflicts.inc() },
    );
  }
}

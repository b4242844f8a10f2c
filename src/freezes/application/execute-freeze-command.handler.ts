import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideOnStream } from '../../ledger/decide-on-stream';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { Metrics } from '../../observability/metrics';
import { freezeDecider } from '../domain/decide-freeze';
import type { FreezeCalendar } from '../domain/freeze-calendar';
import { FREEZES_STREAM } from '../domain/freeze-events';
import { asFreezeEvent } from '../freeze-calendar.reader';
import { ExecuteFreezeCommand, type FreezeCommandResult } from './execute-freeze-command';

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
    return decideOnStream(
      this.store,
      this.metrics,
      {
        decider: freezeDecider,
        streamId: FREEZES_STREAM,
        asEvent: asFreezeEvent,
        maxAttempts: MAX_ATTEMPTS,
      },
      command,
      origin,
      (calendar, revision) => ({ freeze: freezeIn(calendar, command.freezeId), revision }),
    );
  }
}

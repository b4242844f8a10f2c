import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import type { ProposedEvent } from '../../ledger/ledger-event';
import { WrongExpectedRevision } from '../../ledger/ledger-errors';
import { Metrics } from '../../observability/metrics';
import { decide } from '../domain/decide';
import { evolve } from '../domain/evolve';
import type { ChangeEvent } from '../domain/events';
import { changeStreamId } from './change-stream';
import {
  ExecuteChangeCommand,
  type ChangeCommandResult,
  type CommandOrigin,
} from './execute-change-command';
import { loadChange } from './load-change';

/** Optimistic concurrency: a lost race re-decides on the new state, a few times at most. */
const MAX_ATTEMPTS = 5;

export const EVENT_SCHEMA_VERSION = 1;

function propose(
  event: ChangeEvent,
  actor: string,
  at: string,
  origin: CommandOrigin,
): ProposedEvent {
  return {
    eventId: randomUUID(),
    type: event.type,
    // Exactly the JSON that is stored, so the hash computed now is the hash recomputed later.
    data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
    metadata: {
      actor,
      source: origin.source,
      correlationId: origin.correlationId,
      causationId: origin.causationId ?? null,
      occurredAt: at,
      schemaVersion: EVENT_SCHEMA_VERSION,
    },
  };
}

@CommandHandler(ExecuteChangeCommand)
export class ExecuteChangeCommandHandler implements ICommandHandler<ExecuteChangeCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: Metrics,
  ) {}

  async execute({ command, origin }: ExecuteChangeCommand): Promise<ChangeCommandResult> {
    for (let attempt = 1; ; attempt += 1) {
      const { state, revision } = await loadChange(this.store, command.changeId);
      const decided = decide(command, state);
      const proposed = decided.map((e) => propose(e, command.actor.id, command.at, origin));
      try {
        const appended = await this.store.append(
          changeStreamId(command.changeId),
          revision < 0 ? 'no-stream' : revision,
          proposed,
        );
        for (const event of decided) this.metrics.eventsAppended.inc({ type: event.type });
        return {
          changeId: command.changeId,
          status: decided.reduce(evolve, state).status,
          revision: appended.lastRevision,
          events: appended.events.map(({ type, revision: r, position, hash }) => ({
            type,
            revision: r,
            position,
            hash,
          })),
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
        this.metrics.appendConflicts.inc();
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { commandEventId, decideAndAppend, type Attempt } from '../../ledger/decide-and-append';
import { deterministicEventId } from '../../ledger/deterministic-event-id';
import { DuplicateEventConflict } from '../../ledger/ledger-errors';
import type { ProposedEvent, RecordedEvent } from '../../ledger/ledger-event';
import { metadataFor, proposeEvent } from '../../ledger/propose-event';
import { RecentStreams } from '../../ledger/recent-streams';
import { Metrics } from '../../observability/metrics';
import type { ChangeState, ChangeStatus } from '../domain/change-state';
import type { ChangeCommand } from '../domain/commands';
import { DomainError } from '../../kernel/domain-error';
import { refusalRecord } from '../domain/refusal-record';
import { changeDecider } from '../domain/change-decider';
import { fold } from '../../kernel/decider';
import type { ChangeEvent } from '../domain/events';
import { changeStreamId } from '../domain/change-stream';
import { DecisionContext } from './decision-context';
import { ExecuteChangeCommand, type ChangeCommandResult } from '../execute-change-command';
import type { CommandOrigin } from '../../kernel/command-origin';
import { foldChange } from '../load-change';

/** Optimistic concurrency: a lost race re-decides on the new state, a few times at most. */
const MAX_ATTEMPTS = 5;

/** Changes are written in bursts (approve, deploy, verify, close): keep the busy ones warm. */
const RECENT_STREAMS = 10_000;

const MINUTE = 60_000;

/**
 * The one refused attempt kept per principal, change, rule and minute (by the ledger's clock):
 * its event id is derived from them, so every instance agrees on which attempt is recorded and
 * a burst of attempts cannot flood the change's stream.
 */
function refusalKey(command: ChangeCommand, code: string): string {
  const minute = Math.floor(Date.parse(command.receivedAt) / MINUTE);
  return JSON.stringify(['refused', command.actor.id, command.changeId, code, minute]);
}

function propose(
  event: ChangeEvent,
  index: number,
  actor: string,
  at: string,
  origin: CommandOrigin,
): ProposedEvent {
  const eventId = commandEventId(origin.idempotencyKey, index);
  return proposeEvent(eventId, event.type, event.data, metadataFor(actor, at, origin));
}

/** The events an earlier delivery of the same occurrence already recorded, if any. */
function alreadyRecorded(events: readonly RecordedEvent[], origin: CommandOrigin): RecordedEvent[] {
  if (origin.idempotencyKey === undefined) return [];
  const first = deterministicEventId(origin.idempotencyKey, 0);
  const start = events.findIndex((e) => e.eventId === first);
  if (start < 0) return [];
  const key = origin.idempotencyKey;
  return events.slice(start).filter((e, i) => e.eventId === deterministicEventId(key, i));
}

function result(
  changeId: string,
  status: ChangeStatus,
  revision: number,
  events: readonly RecordedEvent[],
): ChangeCommandResult {
  return {
    changeId,
    status,
    revision,
    events: events.map(({ type, revision: r, position, hash }) => ({
      type,
      revision: r,
      position,
      hash,
    })),
  };
}

@CommandHandler(ExecuteChangeCommand)
export class ExecuteChangeCommandHandler implements ICommandHandler<ExecuteChangeCommand> {
  private readonly recent = new RecentStreams(RECENT_STREAMS);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly context: DecisionContext,
    private readonly metrics: Metrics,
  ) {}

  /**
   * A refusal worth auditing is appended before the error goes back to the caller — only when
   * decided on a fresh read, never on a cached state that may since have moved.
   */
  private async decideOrRecordRefusal(
    command: ChangeCommand,
    state: ChangeState,
    fresh: boolean,
    origin: CommandOrigin,
  ): Promise<readonly ChangeEvent[]> {
    try {
      return changeDecider.decide(command, state);
    } catch (error) {
      const refusal = fresh && error instanceof DomainError ? refusalRecord(command, error) : null;
      if (refusal) await this.recordRefusal(command, refusal, origin);
      throw error;
    }
  }

  /** Records a refused attempt, unless one like it was recorded this minute: then counts it. */
  private async recordRefusal(
    command: ChangeCommand,
    refusal: ChangeEvent<'CommandRefused'>,
    origin: CommandOrigin,
  ): Promise<void> {
    const { code } = refusal.data;
    const idempotencyKey = refusalKey(command, code);
    const event = propose(refusal, 0, command.actor.id, command.at, { ...origin, idempotencyKey });
    const throttled = () => this.metrics.refusalsThrottled.inc({ code });
    if ((await this.store.storedEventIds([event.eventId])).size > 0) return throttled();
    try {
      // Appended wherever the stream ends: the attempt happened, whatever came since.
      await this.store.append(changeStreamId(command.changeId), 'any', [event]);
    } catch (conflict) {
      // Another attempt of the same minute got in first (here or on another instance).
      if (!(conflict instanceof DuplicateEventConflict)) throw conflict;
      throttled();
    }
  }

  execute({ command: intent, origin }: ExecuteChangeCommand): Promise<ChangeCommandResult> {
    const { changeId } = intent;
    return decideAndAppend(
      this.store,
      changeStreamId(changeId),
      async (events, revision, fresh): Promise<Attempt<ChangeCommandResult>> => {
        const state = foldChange(events);
        const recorded = alreadyRecorded(events, origin);
        if (recorded.length > 0)
          return { answer: result(changeId, state.status, revision, recorded) };
        const command = await this.context.complete(intent, state);
        const decided = await this.decideOrRecordRefusal(command, state, fresh, origin);
        if (decided.length === 0) return { answer: result(changeId, state.status, revision, []) };
        return {
          append: decided.map((e, i) => propose(e, i, command.actor.id, command.at, origin)),
          answer: (appended) => {
            for (const event of decided) this.metrics.eventsAppended.inc({ type: event.type });
            const status = fold({ ...changeDecider, initialState: state }, decided).status;
            return result(changeId, status, appended.lastRevision, appended.events);
          },
        };
      },
      {
        maxAttempts: MAX_ATTEMPTS,
        onConflict: () => this.metrics.appendConflicts.inc(),
        recent: this.recent,
      },
    );
  }
}

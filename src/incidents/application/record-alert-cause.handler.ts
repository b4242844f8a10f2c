import { randomUUID } from 'node:crypto';
import { Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { loadChange } from '../../changes/application/load-change';
import { deterministicEventId } from '../../ledger/deterministic-event-id';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { WrongExpectedRevision } from '../../ledger/ledger-errors';
import type { RecordedEvent } from '../../ledger/ledger-event';
import { proposeEvent } from '../../ledger/propose-event';
import { Metrics } from '../../observability/metrics';
import {
  ALERT_CAUSE_RECORDED,
  alertRecordOf,
  decideAlertCause,
  type AlertRecord,
} from '../domain/alert-cause';
import { candidateAlertStreams } from './alert-stream';
import { RecordAlertCauseCommand, type AlertCauseResult } from './record-alert-cause';

/** Ingest appends to alert streams too; a lost race is decided again on the new stream. */
const MAX_ATTEMPTS = 5;

/** Nothing to record: the cause is already there (a repeat, or a retried request). */
function unchanged(streamId: string, record: AlertRecord, revision: number): AlertCauseResult {
  if (!record.cause) throw new Error(`alert ${record.alertId}: nothing decided, nothing recorded`);
  return { streamId, alertId: record.alertId, cause: record.cause, revision, recorded: false };
}

@CommandHandler(RecordAlertCauseCommand)
export class RecordAlertCauseHandler implements ICommandHandler<RecordAlertCauseCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: Metrics,
  ) {}

  async execute({ alert, command, origin }: RecordAlertCauseCommand): Promise<AlertCauseResult> {
    const eventId =
      origin.idempotencyKey === undefined
        ? randomUUID()
        : deterministicEventId(origin.idempotencyKey, ALERT_CAUSE_RECORDED);
    const changeExists =
      command.changeId === null ||
      (await loadChange(this.store, command.changeId)).state.status !== 'none';
    for (let attempt = 1; ; attempt += 1) {
      const { streamId, events, record } = await this.alertStream(alert);
      const revision = events.length - 1;
      const retried = events.some((e) => e.eventId === eventId);
      const decided = retried ? [] : decideAlertCause(command, record, changeExists);
      if (decided.length === 0) return unchanged(streamId, record, revision);
      const proposed = decided.map((data) =>
        proposeEvent(eventId, ALERT_CAUSE_RECORDED, data, {
          actor: command.actor.id,
          source: origin.source,
          correlationId: origin.correlationId,
          causationId: origin.causationId ?? null,
          occurredAt: command.at,
        }),
      );
      try {
        const appended = await this.store.append(streamId, revision, proposed);
        this.metrics.eventsAppended.inc({ type: ALERT_CAUSE_RECORDED });
        const { alertId, ...cause } = decided[0];
        return { streamId, alertId, cause, revision: appended.lastRevision, recorded: true };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
        this.metrics.appendConflicts.inc();
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async alertStream(
    reference: string,
  ): Promise<{ streamId: string; events: RecordedEvent[]; record: AlertRecord }> {
    for (const streamId of candidateAlertStreams(reference)) {
      const events = await this.store.readStream(streamId);
      const record = alertRecordOf(events);
      if (record) return { streamId, events, record };
    }
    throw new NotFoundException(`no alert ${JSON.stringify(reference)} has been recorded`);
  }
}

import { Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { loadChange } from '../../changes/load-change';
import { commandEventId, decideAndAppend, type Attempt } from '../../ledger/decide-and-append';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import type { RecordedEvent } from '../../ledger/ledger-event';
import { metadataFor, proposeEvent } from '../../ledger/propose-event';
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
    const eventId = commandEventId(origin.idempotencyKey, ALERT_CAUSE_RECORDED);
    const changeExists =
      command.changeId === null ||
      (await loadChange(this.store, command.changeId)).state.status !== 'none';
    const { streamId } = await this.alertStream(alert);
    return decideAndAppend(
      this.store,
      streamId,
      (events, revision): Promise<Attempt<AlertCauseResult>> => {
        const record = alertRecordOf(events);
        if (!record) throw new Error(`alert stream ${streamId} lost its AlertFired event`);
        const retried = events.some((e) => e.eventId === eventId);
        // The decider records at most one cause per command.
        const [decided] = retried ? [] : decideAlertCause(command, record, changeExists);
        if (!decided) return Promise.resolve({ answer: unchanged(streamId, record, revision) });
        return Promise.resolve({
          append: [
            proposeEvent(
              eventId,
              ALERT_CAUSE_RECORDED,
              decided,
              metadataFor(command.actor.id, command.at, origin),
            ),
          ],
          answer: (appended) => {
            this.metrics.eventsAppended.inc({ type: ALERT_CAUSE_RECORDED });
            const { alertId, ...cause } = decided;
            return { streamId, alertId, cause, revision: appended.lastRevision, recorded: true };
          },
        });
      },
      { maxAttempts: MAX_ATTEMPTS, onConflict: () => this.metrics.appendConflicts.inc() },
    );
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

import type { Principal } from '../../kernel/principal';
import { DomainError } from '../../kernel/domain-error';
import type { Suspect } from './what-changed';

/** A responder's word on what caused an alert: a change, or null for "no change did". */
export interface AlertCause {
  readonly changeId: string | null;
  readonly note: string;
  readonly recordedBy: string;
  readonly at: string;
}

/** Recorded on the alert's own stream; it overrides the heuristic wherever that is used. */
export interface AlertCauseRecordedData extends AlertCause {
  readonly alertId: string;
}

export const ALERT_CAUSE_RECORDED = 'AlertCauseRecorded';

export interface RecordAlertCause {
  readonly changeId: string | null;
  readonly note: string;
  readonly actor: Principal;
  readonly at: string;
}

/** What the decision needs to know about the alert's stream. */
export interface AlertRecord {
  readonly alertId: string;
  readonly cause: AlertCause | null;
}

interface StreamEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Folds an alert's stream; null when no alert was ever recorded on it. */
export function alertRecordOf(events: readonly StreamEvent[]): AlertRecord | null {
  let record: AlertRecord | null = null;
  for (const { type, data } of events) {
    record ??= { alertId: String(data.alertId), cause: null };
    if (type === ALERT_CAUSE_RECORDED) {
      const { changeId, note, recordedBy, at } = data as unknown as AlertCauseRecordedData;
      record = { ...record, cause: { changeId, note, recordedBy, at } };
    }
  }
  return record;
}

/**
 * Records the cause a responder names. The change named must exist; naming the same cause
 * with the same note again records nothing. Pure: whether the change exists is looked up
 * by the caller.
 */
export function decideAlertCause(
  command: RecordAlertCause,
  alert: AlertRecord,
  changeExists: boolean,
): AlertCauseRecordedData[] {
  const { changeId, note, actor, at } = command;
  if (changeId !== null && !changeExists) {
    throw new DomainError('change-not-found', `change ${changeId} does not exist`);
  }
  if (alert.cause?.changeId === changeId && alert.cause.note === note) return [];
  return [{ alertId: alert.alertId, changeId, note, recordedBy: actor.id, at }];
}

/**
 * The suspects as a responder should read them: the named cause's deployments first, marked
 * as such; the heuristic's ranking for the rest.
 */
export function withExplicitCause(
  suspects: readonly Suspect[],
  cause: AlertCause | null,
): Suspect[] {
  if (cause?.changeId == null) return [...suspects];
  const named = suspects.filter((s) => s.changeId === cause.changeId);
  return [
    ...named.map((s): Suspect => ({ ...s, reasons: ['explicit-cause', ...s.reasons] })),
    ...suspects.filter((s) => s.changeId !== cause.changeId),
  ];
}

import { ALERT_STREAM_PREFIX } from '../../alerts/domain/alert-events';
import type { AlertFiredData, AlertResolvedData } from '../../alerts/domain/alert-events';
import type { RecordedEvent } from '../../ledger/ledger-event';
import type { SqlClient } from '../../sql/sql-client';
import { ALERT_CAUSE_RECORDED, type AlertCauseRecordedData } from '../domain/alert-cause';
import { whatChanged } from './timeline-queries';

/** The suspects kept per alert: enough for any responder, bounded for a hub service. */
const STORED_SUSPECTS = 20;

export const ALERT_TABLES = ['incident_alerts', 'incident_alert_suspects'] as const;

export const ALERT_SCRIPT = `
  CREATE TABLE incident_alerts (
    stream_id text PRIMARY KEY,
    alert_id text NOT NULL,
    name text NOT NULL,
    service text NOT NULL,
    environment text,
    severity text,
    summary text,
    url text,
    starts_at timestamptz NOT NULL,
    resolved_at timestamptz,
    window_hours integer,
    top_suspect text,
    cause_recorded boolean NOT NULL DEFAULT false,
    cause_change_id text,
    cause_note text,
    cause_by text,
    cause_at timestamptz,
    -- The deployment the alert counts against: the named cause overrides the heuristic.
    attributed_to text GENERATED ALWAYS AS (
      CASE WHEN cause_recorded THEN 'change:' || cause_change_id ELSE top_suspect END
    ) STORED
  );
  CREATE INDEX incident_alerts_attributed_idx ON incident_alerts (attributed_to)
    WHERE attributed_to IS NOT NULL;
  CREATE TABLE incident_alert_suspects (
    stream_id text NOT NULL,
    rank integer NOT NULL,
    deployment_key text NOT NULL,
    suspect jsonb NOT NULL,
    PRIMARY KEY (stream_id, rank)
  );
`;

/** Applies one feed event to the alerts and their suspects, if it is about an alert. */
export async function applyToAlerts(
  tx: SqlClient,
  event: RecordedEvent,
  windowHours: number,
): Promise<void> {
  if (!event.streamId.startsWith(ALERT_STREAM_PREFIX)) return;
  switch (event.type) {
    case 'AlertFired':
      return fired(tx, event.streamId, event.data as unknown as AlertFiredData, windowHours);
    case 'AlertResolved':
      return resolved(tx, event.streamId, event.data as unknown as AlertResolvedData);
    case ALERT_CAUSE_RECORDED:
      return causeRecorded(tx, event.streamId, event.data as unknown as AlertCauseRecordedData);
  }
}

/**
 * Suspects are computed from the alert's startsAt against what this read model holds at this
 * point of the feed, never from the wall clock: a rebuild stores exactly the same ones.
 */
async function fired(
  tx: SqlClient,
  streamId: string,
  alert: AlertFiredData,
  windowHours: number,
): Promise<void> {
  const { suspects } = await whatChanged(
    tx,
    { service: alert.service, at: Date.parse(alert.startsAt), windowHours },
    alert.environment ?? null,
  );
  const stored = suspects.slice(0, STORED_SUSPECTS);
  await tx.query(
    `INSERT INTO incident_alerts (stream_id, alert_id, name, service, environment, severity,
       summary, url, starts_at, window_hours, top_suspect)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (stream_id) DO UPDATE SET alert_id = $2, name = $3, service = $4,
       environment = $5, severity = $6, summary = $7, url = $8, starts_at = $9,
       window_hours = $10, top_suspect = $11`,
    [
      streamId,
      alert.alertId,
      alert.name,
      alert.service,
      alert.environment ?? null,
      alert.severity,
      alert.summary ?? null,
      alert.url ?? null,
      alert.startsAt,
      windowHours,
      stored[0]?.deploymentKey ?? null,
    ],
  );
  await tx.query('DELETE FROM incident_alert_suspects WHERE stream_id = $1', [streamId]);
  await tx.query(
    `INSERT INTO incident_alert_suspects (stream_id, rank, deployment_key, suspect)
     SELECT $1, rank, suspect->>'deploymentKey', suspect
     FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS s(suspect, rank)`,
    [streamId, JSON.stringify(stored)],
  );
}

/** Resolved at the alert's endsAt, else when the resolution was reported. */
async function resolved(tx: SqlClient, streamId: string, alert: AlertResolvedData): Promise<void> {
  await tx.query(
    `INSERT INTO incident_alerts (stream_id, alert_id, name, service, starts_at, resolved_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (stream_id) DO UPDATE SET resolved_at = $6`,
    [streamId, alert.alertId, alert.name, alert.service, alert.startsAt, alert.endsAt ?? alert.at],
  );
}

async function causeRecorded(
  tx: SqlClient,
  streamId: string,
  cause: AlertCauseRecordedData,
): Promise<void> {
  await tx.query(
    `UPDATE incident_alerts SET cause_recorded = true, cause_change_id = $2, cause_note = $3,
       cause_by = $4, cause_at = $5
     WHERE stream_id = $1`,
    [streamId, cause.changeId, cause.note, cause.recordedBy, cause.at],
  );
}

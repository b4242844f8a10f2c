import type { SqlClient } from '../../sql/sql-client';
import type { AlertCause } from '../domain/alert-cause';
import type { Suspect } from '../domain/what-changed';
import { EPOCH_MS } from './timeline-queries';

export interface StoredAlert {
  readonly streamId: string;
  readonly alertId: string;
  readonly name: string;
  readonly service: string;
  readonly environment: string | null;
  readonly severity: string | null;
  readonly summary: string | null;
  readonly url: string | null;
  readonly startsAt: string;
  readonly resolvedAt: string | null;
  /** The look-back of the stored suspects; null when the alert was only seen resolving. */
  readonly windowHours: number | null;
  readonly cause: AlertCause | null;
  /** Ranked by the heuristic, as stored when the alert fired. */
  readonly suspects: Suspect[];
}

interface AlertRow {
  stream_id: string;
  alert_id: string;
  name: string;
  service: string;
  environment: string | null;
  severity: string | null;
  summary: string | null;
  url: string | null;
  starts_at: number;
  resolved_at: number | null;
  window_hours: number | null;
  cause_recorded: boolean;
  cause_change_id: string | null;
  cause_note: string | null;
  cause_by: string | null;
  cause_at: number | null;
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

const ALERT_COLUMNS = `stream_id, alert_id, name, service, environment, severity, summary, url,
  ${EPOCH_MS('starts_at')} AS starts_at, ${EPOCH_MS('resolved_at')} AS resolved_at,
  window_hours, cause_recorded, cause_change_id, cause_note, cause_by,
  ${EPOCH_MS('cause_at')} AS cause_at`;

export type AlertSummary = Omit<StoredAlert, 'suspects'>;

function toAlertSummary(row: AlertRow): AlertSummary {
  return {
    streamId: row.stream_id,
    alertId: row.alert_id,
    name: row.name,
    service: row.service,
    environment: row.environment,
    severity: row.severity,
    summary: row.summary,
    url: row.url,
    startsAt: new Date(row.starts_at).toISOString(),
    resolvedAt: iso(row.resolved_at),
    windowHours: row.window_hours,
    // The cause's columns are written together, with cause_recorded.
    cause: row.cause_recorded
      ? {
          changeId: row.cause_change_id,
          note: row.cause_note as string,
          recordedBy: row.cause_by as string,
          at: iso(row.cause_at) as string,
        }
      : null,
  };
}

/** One alert of the incident correlation read model, found by any of its stream ids. */
export async function findAlert(
  sql: SqlClient,
  streamIds: readonly string[],
): Promise<StoredAlert | null> {
  const [row] = await sql.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS}
     FROM incident_alerts WHERE stream_id = ANY($1::text[])
     ORDER BY array_position($1::text[], stream_id) LIMIT 1`,
    [streamIds],
  );
  if (!row) return null;
  const suspects = await sql.query<{ suspect: Suspect }>(
    'SELECT suspect FROM incident_alert_suspects WHERE stream_id = $1 ORDER BY rank',
    [row.stream_id],
  );
  return { ...toAlertSummary(row), suspects: suspects.map((s) => s.suspect) };
}

export interface AlertFilter {
  readonly service?: string;
  readonly status?: 'firing' | 'resolved';
  readonly limit: number;
}

/** The latest alerts to fire, newest first, on a service and in a status if given. */
export async function recentAlerts(sql: SqlClient, filter: AlertFilter): Promise<AlertSummary[]> {
  const rows = await sql.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS}
     FROM incident_alerts
     WHERE ($1::text IS NULL OR service = $1)
       AND ($2::text IS NULL OR (resolved_at IS NULL) = ($2 = 'firing'))
     ORDER BY starts_at DESC, stream_id
     LIMIT $3`,
    [filter.service ?? null, filter.status ?? null, filter.limit],
  );
  return rows.map(toAlertSummary);
}

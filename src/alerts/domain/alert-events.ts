/** An alert instance's stream: `alert-<uuid v5 of its identity>`. */
export const ALERT_STREAM_PREFIX = 'alert-';
/** An incident's stream: `incident-<uuid v5 of its identity>`. */
export const INCIDENT_STREAM_PREFIX = 'incident-';

export interface AlertFiredData {
  readonly alertId: string;
  readonly name: string;
  readonly service: string;
  readonly environment?: string;
  readonly severity: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly summary?: string;
  readonly url?: string;
  readonly format: string;
  readonly at: string;
}

export interface AlertResolvedData {
  readonly alertId: string;
  readonly name: string;
  readonly service: string;
  readonly startsAt: string;
  readonly endsAt?: string;
  /** Seconds from firing to resolution, when both ends are known. */
  readonly secondsToResolve: number | null;
  readonly format: string;
  readonly at: string;
}

export interface IncidentData {
  readonly incidentId: string;
  readonly service: string;
  readonly environment?: string;
  readonly description?: string;
  readonly url?: string;
  /** Who the sender says reported it (a CloudEvent source), as reported. */
  readonly reportedBy?: string;
  readonly format: string;
  readonly at: string;
}

export type AlertEvent =
  | { readonly type: 'AlertFired'; readonly data: AlertFiredData }
  | { readonly type: 'AlertResolved'; readonly data: AlertResolvedData }
  | { readonly type: 'IncidentDetected'; readonly data: IncidentData }
  | { readonly type: 'IncidentReported'; readonly data: IncidentData }
  | { readonly type: 'IncidentResolved'; readonly data: IncidentData };

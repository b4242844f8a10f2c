import type { AlertEvent } from '../../alerts/domain/alert-events';
import { alertStreamId, incidentStreamId } from '../../alerts/alert-streams';
import type { StreamAppend } from '../../ledger/event-store';
import type { AlertObservation, IncidentObservation } from '../observation';
import type { IngestOrigin } from './ingest-item';
import { proposeIngested } from './ingested-events';

function alertEvent(alert: AlertObservation): AlertEvent {
  const { alertId, name, service, startsAt, format } = alert;
  if (alert.status === 'firing') {
    return {
      type: 'AlertFired',
      data: {
        alertId,
        name,
        service,
        environment: alert.environment,
        severity: alert.severity,
        labels: alert.labels,
        startsAt,
        summary: alert.summary,
        url: alert.url,
        format,
        at: alert.occurredAt,
      },
    };
  }
  const seconds =
    alert.endsAt === undefined ? null : (Date.parse(alert.endsAt) - Date.parse(startsAt)) / 1000;
  return {
    type: 'AlertResolved',
    data: {
      alertId,
      name,
      service,
      startsAt,
      endsAt: alert.endsAt,
      secondsToResolve: seconds !== null && seconds >= 0 ? seconds : null,
      format,
      at: alert.occurredAt,
    },
  };
}

const INCIDENT_TYPES = {
  detected: 'IncidentDetected',
  reported: 'IncidentReported',
  resolved: 'IncidentResolved',
} as const;

function incidentEvent(incident: IncidentObservation): AlertEvent {
  const { incidentId, service, environment, description, url, format, occurredAt } = incident;
  const { reportedBy } = incident;
  return {
    type: INCIDENT_TYPES[incident.status],
    data: {
      incidentId,
      service,
      environment,
      description,
      url,
      reportedBy,
      format,
      at: occurredAt,
    },
  };
}

/** Alerts and incidents: one stream each, appended wherever it ends, ids from the source. */
export function alertAppend(
  observation: AlertObservation | IncidentObservation,
  origin: IngestOrigin,
): StreamAppend {
  const [streamId, event] =
    observation.kind === 'alert'
      ? [alertStreamId(observation.alertId), alertEvent(observation)]
      : [incidentStreamId(observation.incidentId), incidentEvent(observation)];
  const { sourceId, occurredAt } = observation;
  return {
    streamId,
    expected: 'any',
    events: proposeIngested(sourceId, [event], occurredAt, origin),
  };
}

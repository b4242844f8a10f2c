import { deterministicEventId } from '../ledger/deterministic-event-id';
import { ALERT_STREAM_PREFIX, INCIDENT_STREAM_PREFIX } from './domain/alert-events';

/** An alert's or incident's own stream, named after its identity at the source. */
export function alertStreamId(alertId: string): string {
  return `${ALERT_STREAM_PREFIX}${deterministicEventId(alertId, 'stream')}`;
}

export function incidentStreamId(incidentId: string): string {
  return `${INCIDENT_STREAM_PREFIX}${deterministicEventId(incidentId, 'stream')}`;
}

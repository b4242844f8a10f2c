import { ALERT_STREAM_PREFIX } from '../../alerts/domain/alert-events';
import { alertStreamId } from '../../alerts/alert-streams';

const STREAM_ID = new RegExp(
  `^${ALERT_STREAM_PREFIX}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
);

/**
 * The streams an alert reference may name, most likely first: a responder may paste the
 * ledger's stream id (`alert-<uuid>`) or the monitoring system's own alert id.
 */
export function candidateAlertStreams(reference: string): string[] {
  return STREAM_ID.test(reference)
    ? [reference, alertStreamId(reference)]
    : [alertStreamId(reference)];
}

import { MalformedMessage, type AlertObservation, type Normalizer } from '../observation';
import { defined, JsonFields, parseJsonBody, serviceName } from './json-fields';

/**
 * Prometheus Alertmanager webhook notification, payload version "4". Each alert of the group
 * becomes one alert observation; the group-level fields are not read, because every alert
 * carries the common labels itself.
 *
 * - alertId: `fingerprint@startsAt`: the fingerprint alone names the label set, which fires again
 *   later as a new alert instance;
 * - sourceId: `alertId:status`: firing and resolved are two occurrences of one alert, while a
 *   repeated notification of the same state (Alertmanager re-sends on repeat_interval) is not;
 * - service: label `service`, else `app`, else `job` (the Prometheus scrape job, the least
 *   specific); refused when none is set;
 * - environment: label `env`, else `environment`; severity: label `severity`, else 'none';
 * - occurredAt: startsAt when firing, endsAt when resolved; endsAt is kept only when resolved,
 *   because on a firing alert it is an expiry estimate (or Go's zero time), not an end.
 */
export const normalizeAlertmanager: Normalizer = ({ body }) => {
  const notification = JsonFields.of(parseJsonBody(body));
  const version = notification.string('version');
  if (version !== '4') {
    throw new MalformedMessage(`unsupported version "${version}" (only "4")`, 'version');
  }
  return notification.objects('alerts').map(toObservation);
};

const SERVICE_LABELS = ['service', 'app', 'job'];
const ENVIRONMENT_LABELS = ['env', 'environment'];

function toObservation(alert: JsonFields): AlertObservation {
  const status = alert.oneOf('status', ['firing', 'resolved'] as const);
  const labels = alert.stringMap('labels');
  const labelsPath = alert.pathOf('labels');
  const name = firstLabel(labels, ['alertname']);
  if (name === undefined) throw new MalformedMessage('is required', `${labelsPath}.alertname`);
  const service = firstLabel(labels, SERVICE_LABELS);
  if (service === undefined) {
    throw new MalformedMessage(
      `one of the labels ${SERVICE_LABELS.join(', ')} is required`,
      `${labelsPath}.service`,
    );
  }
  const startsAt = alert.instant('startsAt');
  const endsAt = status === 'resolved' ? alert.instant('endsAt') : undefined;
  const alertId = `${alert.string('fingerprint')}@${startsAt}`;
  return defined({
    format: 'alertmanager',
    kind: 'alert',
    sourceId: `${alertId}:${status}`,
    occurredAt: endsAt ?? startsAt,
    status,
    alertId,
    name,
    service: serviceName(service),
    environment: firstLabel(labels, ENVIRONMENT_LABELS),
    severity: firstLabel(labels, ['severity']) ?? 'none',
    labels,
    startsAt,
    endsAt,
    summary: alert.optionalObject('annotations')?.optionalString('summary'),
    url: alert.optionalString('generatorURL'),
  });
}

// Prometheus treats an empty label value as an absent label.
function firstLabel(labels: Record<string, string>, names: readonly string[]): string | undefined {
  return names
    .map((label) => labels[label])
    .find((value) => value !== undefined && value.trim() !== '');
}

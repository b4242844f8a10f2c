import { MalformedMessage } from '../observation';
import { normalizeAlertmanager } from './alertmanager';
import { edited, jsonMessage } from './fixtures/messages';
import group from './fixtures/alertmanager-group.json';

function withEdit(path: string, value: unknown) {
  return jsonMessage(edited(group, path, value));
}

describe('normalizeAlertmanager', () => {
  it('turns each alert of the group into one observation', () => {
    expect(normalizeAlertmanager(jsonMessage(group))).toStrictEqual([
      {
        format: 'alertmanager',
        kind: 'alert',
        sourceId: 'c4a6e8f1b2d3e5a7@2024-05-14T09:52:30.123Z:firing',
        occurredAt: '2024-05-14T09:52:30.123Z',
        status: 'firing',
        alertId: 'c4a6e8f1b2d3e5a7@2024-05-14T09:52:30.123Z',
        name: 'HighErrorRate',
        service: 'payments-api',
        environment: 'production',
        severity: 'critical',
        labels: {
          alertname: 'HighErrorRate',
          env: 'production',
          severity: 'critical',
          service: 'Payments-API',
          job: 'payments-api',
          instance: '10.2.3.4:8080',
        },
        startsAt: '2024-05-14T09:52:30.123Z',
        summary: '5xx rate above 5% for 10 minutes',
        url: 'https://prometheus.example.com/graph?g0.expr=job%3Apayments_5xx_ratio%3Arate5m+%3E+0.05&g0.tab=1',
      },
      {
        format: 'alertmanager',
        kind: 'alert',
        sourceId: '9e1f2a3b4c5d6e7f@2024-05-14T09:40:00.000Z:resolved',
        occurredAt: '2024-05-14T10:05:00.000Z',
        status: 'resolved',
        alertId: '9e1f2a3b4c5d6e7f@2024-05-14T09:40:00.000Z',
        name: 'HighErrorRate',
        service: 'checkout',
        environment: 'production',
        severity: 'critical',
        labels: {
          alertname: 'HighErrorRate',
          env: 'production',
          severity: 'critical',
          app: 'checkout',
          job: 'checkout',
          instance: '10.2.5.6:8080',
        },
        startsAt: '2024-05-14T09:40:00.000Z',
        endsAt: '2024-05-14T10:05:00.000Z',
        summary: '5xx rate above 5% for 10 minutes',
        url: 'https://prometheus.example.com/graph?g0.expr=job%3Acheckout_5xx_ratio%3Arate5m+%3E+0.05&g0.tab=1',
      },
    ]);
  });

  it('gives a re-sent notification the same source ids, and the resolution its own', () => {
    const [firing] = normalizeAlertmanager(jsonMessage(group));
    const [again] = normalizeAlertmanager(jsonMessage(group));
    const [resolved] = normalizeAlertmanager(
      jsonMessage(
        edited(
          edited(group, 'alerts.0.status', 'resolved'),
          'alerts.0.endsAt',
          '2024-05-14T10:30:00Z',
        ),
      ),
    );
    expect(again.sourceId).toBe(firing.sourceId);
    expect(resolved).toMatchObject({ alertId: 'c4a6e8f1b2d3e5a7@2024-05-14T09:52:30.123Z' });
    expect(resolved.sourceId).not.toBe(firing.sourceId);
  });

  it('falls back to the job label for the service, and to none for the severity', () => {
    const labels = { alertname: 'TargetDown', job: 'Node-Exporter ', instance: '10.0.0.1:9100' };
    const [observation] = normalizeAlertmanager(withEdit('alerts.0.labels', labels));
    expect(observation).toMatchObject({ service: 'node-exporter', severity: 'none' });
    expect(observation).not.toHaveProperty('environment');
  });

  it('prefers the service label to app and job, and skips empty labels', () => {
    const labels = { alertname: 'X', service: '', app: 'cart', job: 'kubernetes-pods' };
    const [observation] = normalizeAlertmanager(withEdit('alerts.0.labels', labels));
    expect(observation).toMatchObject({ service: 'cart' });
  });

  it('reads the environment label', () => {
    const labels = { alertname: 'X', service: 'cart', environment: 'staging' };
    const [observation] = normalizeAlertmanager(withEdit('alerts.0.labels', labels));
    expect(observation).toMatchObject({ environment: 'staging' });
  });

  it('reports nothing for a group without alerts', () => {
    expect(normalizeAlertmanager(withEdit('alerts', []))).toStrictEqual([]);
  });

  describe('refuses', () => {
    it('a body that is not JSON', () => {
      expect(() =>
        normalizeAlertmanager({ body: Buffer.from('status=firing'), headers: {} }),
      ).toThrow(new MalformedMessage('body is not JSON'));
    });

    it.each([
      ['3', 'unsupported version "3" (only "4")'],
      [4, 'must be a string'],
      [undefined, 'is required'],
    ])('the version %j', (version, reason) => {
      expect(() => normalizeAlertmanager(withEdit('version', version))).toThrow(
        new MalformedMessage(reason, 'version'),
      );
    });

    it.each([
      ['alerts', undefined, 'is required', 'alerts'],
      ['alerts', {}, 'must be an array', 'alerts'],
      ['alerts.1', 'HighErrorRate', 'must be a JSON object', 'alerts[1]'],
      ['alerts.1.status', 'pending', 'must be one of: firing, resolved', 'alerts[1].status'],
      ['alerts.1.labels', undefined, 'is required', 'alerts[1].labels'],
      ['alerts.1.labels.alertname', undefined, 'is required', 'alerts[1].labels.alertname'],
      ['alerts.1.labels.alertname', '', 'is required', 'alerts[1].labels.alertname'],
      ['alerts.1.labels.instance', 8080, 'must be a string', 'alerts[1].labels.instance'],
      ['alerts.1.fingerprint', undefined, 'is required', 'alerts[1].fingerprint'],
      ['alerts.1.startsAt', undefined, 'is required', 'alerts[1].startsAt'],
      [
        'alerts.1.startsAt',
        '2024-05-14T09:40Z',
        'must be an ISO-8601 date-time with seconds and a UTC offset',
        'alerts[1].startsAt',
      ],
      ['alerts.1.endsAt', undefined, 'is required', 'alerts[1].endsAt'],
      ['alerts.1.generatorURL', 42, 'must be a string', 'alerts[1].generatorURL'],
    ])('an alert whose %s is %j', (path, value, reason, field) => {
      expect(() => normalizeAlertmanager(withEdit(path, value))).toThrow(
        new MalformedMessage(reason, field),
      );
    });

    it('an alert naming no service in any of the labels it may be in', () => {
      const labels = { alertname: 'X', instance: '10.0.0.1:9100' };
      expect(() => normalizeAlertmanager(withEdit('alerts.1.labels', labels))).toThrow(
        new MalformedMessage(
          'one of the labels service, app, job is required',
          'alerts[1].labels.service',
        ),
      );
    });
  });
});

import { MalformedMessage } from '../observation';
import { GENERIC_EVENT_SCHEMA, normalizeGeneric } from './generic';
import { edited, jsonMessage } from './fixtures/messages';
import schemaFile from './generic-event.schema.json';
import alert from './fixtures/generic-alert.json';
import deployment from './fixtures/generic-deployment.json';

const INSTANT_REASON = 'must be an ISO-8601 date-time with seconds and a UTC offset';

const EVENTS = { deployment, alert };

function normalize(body: unknown) {
  return normalizeGeneric(jsonMessage(body));
}

describe('normalizeGeneric', () => {
  it('reads a deployment', () => {
    expect(normalize(deployment)).toStrictEqual([
      {
        format: 'generic',
        kind: 'deployment',
        sourceId: 'generic:spinnaker:01HXZ3K7P9QF5W2M8R4T6Y1B3C',
        occurredAt: '2024-05-14T07:47:10.250Z',
        phase: 'stage',
        service: 'checkout',
        environment: 'production',
        version: '5.12.0',
        commit: '5b1d0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c',
        changeId: 'CHG-1043',
        deploymentId: '01HXZ3F0M2N4P6Q8R0S2T4V6W8',
        stage: 'canary',
        percent: 25,
        reportedBy: 'spinnaker-pipeline/checkout-prod',
        url: 'https://spinnaker.example.com/#/applications/checkout/executions/01HXZ3F0M2N4P6Q8R0S2T4V6W8',
      },
    ]);
  });

  it('reads an alert', () => {
    expect(normalize(alert)).toStrictEqual([
      {
        format: 'generic',
        kind: 'alert',
        sourceId: 'generic:datadog:7812345678901234567:triggered',
        occurredAt: '2024-05-14T10:01:00.000Z',
        status: 'firing',
        alertId: 'datadog-monitor-48213@2024-05-14T10:01:00Z',
        name: 'Checkout p99 latency',
        service: 'checkout',
        severity: 'warning',
        labels: { team: 'payments', monitor_id: '48213' },
        startsAt: '2024-05-14T10:01:00.000Z',
        summary: 'p99 latency above 800 ms for 5 minutes',
        environment: 'production',
        url: 'https://app.datadoghq.com/monitors/48213',
      },
    ]);
  });

  it('reads a minimal resolved alert: no labels is an empty set', () => {
    const minimal = {
      kind: 'alert',
      id: 'nagios-331',
      occurredAt: '2024-05-14T10:20:00+02:00',
      status: 'resolved',
      alertId: 'disk-full@db-1',
      name: 'Disk full',
      service: 'db',
      severity: 'critical',
      startsAt: '2024-05-14T09:50:00+02:00',
      endsAt: '2024-05-14T10:20:00+02:00',
    };
    expect(normalize(minimal)).toStrictEqual([
      {
        format: 'generic',
        kind: 'alert',
        sourceId: 'generic:nagios-331',
        occurredAt: '2024-05-14T08:20:00.000Z',
        status: 'resolved',
        alertId: 'disk-full@db-1',
        name: 'Disk full',
        service: 'db',
        severity: 'critical',
        labels: {},
        startsAt: '2024-05-14T07:50:00.000Z',
        endsAt: '2024-05-14T08:20:00.000Z',
      },
    ]);
  });

  describe('schema', () => {
    it('is published unchanged in generic-event.schema.json', () => {
      expect(schemaFile).toStrictEqual(JSON.parse(JSON.stringify(GENERIC_EVENT_SCHEMA)));
    });

    it('is a draft 2020-12 document with one closed variant per kind', () => {
      expect(GENERIC_EVENT_SCHEMA).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        oneOf: [
          {
            properties: { kind: { const: 'deployment' } },
            required: ['kind', 'id', 'occurredAt', 'phase', 'service', 'environment'],
            additionalProperties: false,
          },
          {
            properties: { kind: { const: 'alert' } },
            required: [
              'kind',
              'id',
              'occurredAt',
              'status',
              'alertId',
              'name',
              'service',
              'severity',
              'startsAt',
            ],
            additionalProperties: false,
          },
        ],
      });
    });
  });

  describe('refuses', () => {
    it('a body that is not JSON', () => {
      expect(() =>
        normalizeGeneric({ body: Buffer.from('kind: deployment'), headers: {} }),
      ).toThrow(new MalformedMessage('body is not JSON'));
    });

    it('a body that is not an object', () => {
      expect(() => normalize([deployment])).toThrow(
        new MalformedMessage('must be a JSON object', 'body'),
      );
    });

    it.each([
      ['deployment', 'kind', undefined, 'must be one of: deployment, alert'],
      ['deployment', 'kind', 'incident', 'must be one of: deployment, alert'],
      ['deployment', 'id', undefined, 'is required'],
      ['deployment', 'id', 42, 'must be a string'],
      ['deployment', 'occurredAt', undefined, 'is required'],
      ['deployment', 'occurredAt', '2024-05-14', INSTANT_REASON],
      ['deployment', 'occurredAt', '2024-02-30T10:00:00Z', INSTANT_REASON],
      [
        'deployment',
        'phase',
        'done',
        'must be one of: started, stage, succeeded, failed, rolledback, removed',
      ],
      ['deployment', 'service', ' ', 'must not be empty'],
      ['deployment', 'environment', undefined, 'is required'],
      ['deployment', 'version', '', 'must not be empty'],
      ['deployment', 'percent', 120, 'must be at most 100'],
      ['deployment', 'percent', -5, 'must be at least 0'],
      ['deployment', 'percent', '25', 'must be a number'],
      ['deployment', 'url', 'spinnaker/executions/1', 'must be a URL'],
      ['alert', 'status', 'ok', 'must be one of: firing, resolved'],
      ['alert', 'alertId', undefined, 'is required'],
      ['alert', 'severity', undefined, 'is required'],
      ['alert', 'labels', ['team:payments'], 'must be a JSON object'],
      ['alert', 'labels.monitor_id', 48213, 'must be a string'],
      ['alert', 'startsAt', '1715680860', INSTANT_REASON],
      ['alert', 'endsAt', 'soon', INSTANT_REASON],
    ] as const)('%s event whose %s is %j', (kind, path, value, reason) => {
      expect(() => normalize(edited(EVENTS[kind], path, value))).toThrow(
        new MalformedMessage(reason, path),
      );
    });

    it.each([
      ['deployment', 'enviroment', 'production'],
      ['deployment', 'severity', 'critical'],
      ['alert', 'phase', 'started'],
    ] as const)('%s event with a field of no such name: %s', (kind, path, value) => {
      expect(() => normalize(edited(EVENTS[kind], path, value))).toThrow(
        new MalformedMessage('is not a field of this kind of event', path),
      );
    });
  });
});

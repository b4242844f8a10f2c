import { MalformedMessage } from '../observation';
import { normalizeCdevents } from './cdevents';
import { edited, jsonMessage } from './fixtures/messages';
import binaryBody from './fixtures/cdevents-service-deployed.binary-body.json';
import binaryHeaders from './fixtures/cdevents-service-deployed.binary-headers.json';
import changeMerged from './fixtures/cdevents-change-merged.json';
import incidentDetected from './fixtures/cdevents-incident-detected.json';
import incidentResolved from './fixtures/cdevents-incident-resolved.json';
import deployed from './fixtures/cdevents-service-deployed.structured.json';
import rolledback from './fixtures/cdevents-service-rolledback.json';

const DIGEST = 'sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427';

const deployedObservation = {
  format: 'cdevents',
  kind: 'deployment',
  sourceId: 'cdevents:["/argocd/prod-eu-1","271069a8-fc18-44f1-b38f-9d70a1695819"]',
  occurredAt: '2024-05-14T09:41:27.315Z',
  reportedBy: '/argocd/prod-eu-1',
  phase: 'succeeded',
  service: 'payments-api',
  environment: 'production',
  version: DIGEST,
  commit: '9f2c1e4b7a3d5e6f8091a2b3c4d5e6f708192a3b',
  changeId: 'CHG-1042',
};

/** The structured fixture with each of `edits` (dotted path → new value) applied. */
function structured(fixture: unknown, ...edits: [string, unknown][]) {
  return jsonMessage(edits.reduce((body, [path, value]) => edited(body, path, value), fixture));
}

function retyped(fixture: unknown, type: string) {
  return structured(fixture, ['type', type], ['data.context.type', type]);
}

describe('normalizeCdevents', () => {
  describe('structured mode', () => {
    it('reads service.deployed: service from subject.id, version from the purl', () => {
      expect(normalizeCdevents(jsonMessage(deployed))).toStrictEqual([deployedObservation]);
    });

    it('reads service.upgraded as a succeeded deployment, whatever the version suffix', () => {
      const [observation] = normalizeCdevents(
        retyped(deployed, 'dev.cdevents.service.upgraded.0.3.0-draft'),
      );
      expect(observation).toMatchObject({ kind: 'deployment', phase: 'succeeded' });
    });

    it('reads service.rolledback', () => {
      expect(normalizeCdevents(jsonMessage(rolledback))).toStrictEqual([
        {
          format: 'cdevents',
          kind: 'deployment',
          sourceId: 'cdevents:["/argocd/prod-eu-1","5328c37f-bb7e-4bb7-84ea-9f5f85e4a7ce"]',
          occurredAt: '2024-05-14T10:02:11.000Z',
          reportedBy: '/argocd/prod-eu-1',
          phase: 'rolledback',
          service: 'payments-api',
          environment: 'production',
          version: '2.8.0',
        },
      ]);
    });

    it('reads service.removed, which names no artifact', () => {
      const message = structured(
        rolledback,
        ['type', 'dev.cdevents.service.removed.0.2.0'],
        ['data.context.type', 'dev.cdevents.service.removed.0.2.0'],
        ['data.subject.content.artifactId', undefined],
      );
      const [observation] = normalizeCdevents(message);
      expect(observation).toMatchObject({ phase: 'removed', service: 'payments-api' });
      expect(observation).not.toHaveProperty('version');
    });

    it('reads change.merged: the subject is the pull request', () => {
      expect(normalizeCdevents(jsonMessage(changeMerged))).toStrictEqual([
        {
          format: 'cdevents',
          kind: 'change-merged',
          sourceId:
            'cdevents:["https://github.com/acme/payments-api","a8e3c1f0-6f0d-4b52-9d1e-0c7b2f9d4e11"]',
          occurredAt: '2024-05-14T08:55:02.000Z',
          reportedBy: 'https://github.com/acme/payments-api',
          pullRequest: '4711',
          repository: 'acme/payments-api',
          commit: '9f2c1e4b7a3d5e6f8091a2b3c4d5e6f708192a3b',
          service: 'payments-api',
          changeId: 'CHG-1042',
        },
      ]);
    });

    it('reads incident.detected', () => {
      expect(normalizeCdevents(jsonMessage(incidentDetected))).toStrictEqual([
        {
          format: 'cdevents',
          kind: 'incident',
          sourceId: 'cdevents:["/monitoring/prod-eu-1","F4BD2B55-B6F6-4F44-AF72-BD2D0E7A8708"]',
          occurredAt: '2022-11-11T13:52:20.079Z',
          reportedBy: '/monitoring/prod-eu-1',
          status: 'detected',
          incidentId: 'incident-123',
          service: 'payments-api',
          environment: 'production',
          description: 'Response time above threshold of 100ms',
        },
      ]);
    });

    it('reads incident.resolved, its timestamp normalized to UTC', () => {
      expect(normalizeCdevents(jsonMessage(incidentResolved))).toStrictEqual([
        {
          format: 'cdevents',
          kind: 'incident',
          sourceId: 'cdevents:["/monitoring/prod-eu-1","0E4C9D52-7A1B-4F0E-9B3C-5D2A8E6F1C47"]',
          occurredAt: '2022-11-11T14:31:05.512Z',
          reportedBy: '/monitoring/prod-eu-1',
          status: 'resolved',
          incidentId: 'incident-123',
          service: 'payments-api',
          environment: 'production',
          description: 'Response time restored below 100ms',
        },
      ]);
    });

    it('reads incident.reported with its ticket as the url', () => {
      const message = structured(
        incidentDetected,
        ['type', 'dev.cdevents.incident.reported.0.2.0'],
        ['data.context.type', 'dev.cdevents.incident.reported.0.2.0'],
        ['data.subject.content.ticketURI', 'https://tickets.example.com/INC-77'],
      );
      expect(normalizeCdevents(message)[0]).toMatchObject({
        status: 'reported',
        url: 'https://tickets.example.com/INC-77',
      });
    });

    it.each([
      ['pkg:npm/%40acme/payments@2.8.1', '2.8.1'],
      ['pkg:maven/com.acme/payments@2.8.1-rc%2B7?type=jar#lib', '2.8.1-rc+7'],
    ])('reads the version of %s', (artifactId, version) => {
      const message = structured(deployed, ['data.subject.content.artifactId', artifactId]);
      expect(normalizeCdevents(message)[0]).toMatchObject({ version });
    });

    it('has no version for a purl without one', () => {
      const message = structured(deployed, ['data.subject.content.artifactId', 'pkg:oci/app']);
      expect(normalizeCdevents(message)[0]).not.toHaveProperty('version');
    });

    it('reads no change id from customData that is not JSON', () => {
      const message = structured(deployed, ['data.customData', 'eyJjaGFuZ2VJZCI6IkNIRy0xIn0=']);
      const [observation] = normalizeCdevents(message);
      expect(observation).not.toHaveProperty('changeId');
      expect(observation).not.toHaveProperty('commit');
    });

    it('keeps ids of different sources apart', () => {
      const other = normalizeCdevents(
        structured(
          deployed,
          ['source', '/argocd/prod-us-1'],
          ['data.context.source', '/argocd/prod-us-1'],
        ),
      );
      expect(other[0].sourceId).not.toBe(deployedObservation.sourceId);
    });
  });

  describe('binary mode', () => {
    it('reads Kafka ce_ headers and the CDEvent body like the structured event', () => {
      expect(normalizeCdevents(jsonMessage(binaryBody, binaryHeaders))).toStrictEqual([
        deployedObservation,
      ]);
    });

    it('reads percent-encoded HTTP ce- headers', () => {
      const headers = Object.fromEntries(
        Object.entries(binaryHeaders).map(([name, value]) => [name.replace(/^ce_/, 'ce-'), value]),
      );
      headers['ce-source'] = '%2Fargocd%2Fprod-eu-1';
      expect(normalizeCdevents(jsonMessage(binaryBody, headers))).toStrictEqual([
        deployedObservation,
      ]);
    });

    it('names fields from the body root, since the body is the CDEvent', () => {
      const body = edited(binaryBody, 'subject.content.environment', undefined);
      expect(() => normalizeCdevents(jsonMessage(body, binaryHeaders))).toThrow(
        new MalformedMessage('is required', 'subject.content.environment'),
      );
    });

    it('refuses a message without a required attribute header', () => {
      const headers = Object.fromEntries(
        Object.entries(binaryHeaders).filter(([name]) => name !== 'ce_id'),
      );
      expect(() => normalizeCdevents(jsonMessage(binaryBody, headers))).toThrow(
        new MalformedMessage('is required', 'ce_id'),
      );
    });

    it('refuses a type header that disagrees with the CDEvent', () => {
      const headers = { ...binaryHeaders, ce_type: 'dev.cdevents.service.upgraded.0.2.0' };
      expect(() => normalizeCdevents(jsonMessage(binaryBody, headers))).toThrow(
        new MalformedMessage(
          'does not match the CloudEvent type "dev.cdevents.service.upgraded.0.2.0"',
          'context.type',
        ),
      );
    });

    it('refuses another CloudEvents version', () => {
      const headers = { ...binaryHeaders, ce_specversion: '0.3' };
      expect(() => normalizeCdevents(jsonMessage(binaryBody, headers))).toThrow(
        new MalformedMessage('unsupported CloudEvents version "0.3"', 'ce_specversion'),
      );
    });
  });

  describe('refuses', () => {
    it.each([
      ['a body that is not JSON', Buffer.from('{"specversion":')],
      ['a body that is not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ])('%s', (_case, body) => {
      expect(() => normalizeCdevents({ body, headers: {} })).toThrow(
        new MalformedMessage('body is not JSON'),
      );
    });

    it('a body that is not an object', () => {
      expect(() => normalizeCdevents(jsonMessage([deployed]))).toThrow(
        new MalformedMessage('must be a JSON object', 'body'),
      );
    });

    it('a bare CDEvent without a CloudEvents envelope', () => {
      expect(() => normalizeCdevents(jsonMessage(binaryBody))).toThrow(
        new MalformedMessage('is required', 'specversion'),
      );
    });

    it.each([
      'dev.cdevents.pipelinerun.started.0.2.0',
      'dev.cdevents.service.published.0.2.0',
      'dev.cdevents.service.deployed',
      'dev.cdevents.service.deployed.latest',
      'com.example.service.deployed.0.2.0',
    ])('the unsupported type %s', (type) => {
      expect(() => normalizeCdevents(retyped(deployed, type))).toThrow(
        new MalformedMessage(`unsupported type "${type}"`, 'type'),
      );
    });

    it('an envelope id that disagrees with the CDEvent', () => {
      expect(() => normalizeCdevents(structured(deployed, ['id', 'other']))).toThrow(
        new MalformedMessage('does not match the CloudEvent id "other"', 'data.context.id'),
      );
    });

    it.each([
      ['data', 'is required', 'data'],
      ['data.context.timestamp', 'is required', 'data.context.timestamp'],
      ['data.subject.id', 'is required', 'data.subject.id'],
      ['data.subject.content.environment', 'is required', 'data.subject.content.environment'],
      ['data.subject.content.environment.id', 'is required', 'data.subject.content.environment.id'],
      ['data.subject.content.artifactId', 'is required', 'data.subject.content.artifactId'],
    ])('a service.deployed without %s', (path, reason, field) => {
      expect(() => normalizeCdevents(structured(deployed, [path, undefined]))).toThrow(
        new MalformedMessage(reason, field),
      );
    });

    it.each([
      [
        'data.context.timestamp',
        '2024-05-14 09:41:27',
        'must be an ISO-8601 date-time with seconds and a UTC offset',
      ],
      [
        'data.context.timestamp',
        '2024-05-14T09:41:27',
        'must be an ISO-8601 date-time with seconds and a UTC offset',
      ],
      ['data.subject.id', '  ', 'must not be empty'],
      ['data.subject.content', 'production', 'must be a JSON object'],
      [
        'data.subject.content.artifactId',
        'sha256:0b31b1c0',
        'must be a package URL (pkg:type/name@version)',
      ],
      ['data.subject.content.artifactId', 'pkg:npm/@acme/payments', 'is not a valid package URL'],
      ['data.subject.content.artifactId', 'pkg:oci/app@%E0%A4%A', 'is not a valid package URL'],
      ['data.customData.changeId', 1042, 'must be a string'],
    ])('a service.deployed whose %s is %j', (path, value, reason) => {
      expect(() => normalizeCdevents(structured(deployed, [path, value]))).toThrow(
        new MalformedMessage(reason, path),
      );
    });

    it('an incident on no service, which nothing could be correlated with', () => {
      const message = structured(incidentDetected, ['data.subject.content.service', undefined]);
      expect(() => normalizeCdevents(message)).toThrow(
        new MalformedMessage('is required', 'data.subject.content.service'),
      );
    });

    it('an incident.reported without its ticket', () => {
      const message = retyped(incidentDetected, 'dev.cdevents.incident.reported.0.2.0');
      expect(() => normalizeCdevents(message)).toThrow(
        new MalformedMessage('is required', 'data.subject.content.ticketURI'),
      );
    });
  });
});

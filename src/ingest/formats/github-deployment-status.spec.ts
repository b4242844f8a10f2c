import { MalformedMessage } from '../observation';
import { normalizeGithubDeploymentStatus } from './github-deployment-status';
import { edited, jsonMessage } from './fixtures/messages';
import failure from './fixtures/github-deployment-status-failure.json';
import inProgress from './fixtures/github-deployment-status-in-progress.json';
import success from './fixtures/github-deployment-status-success.json';

const HEADERS = { 'x-github-event': 'deployment_status' };

function normalize(body: unknown) {
  return normalizeGithubDeploymentStatus(jsonMessage(body, HEADERS));
}

const productionDeployment = {
  format: 'github',
  kind: 'deployment',
  service: 'payments-api',
  environment: 'production',
  version: '2.8.1',
  commit: '9f2c1e4b7a3d5e6f8091a2b3c4d5e6f708192a3b',
  changeId: 'CHG-1042',
  deploymentId: '1234567890',
  reportedBy: 'alice',
  url: 'https://github.com/acme/payments-api/actions/runs/9087654321/job/24987654321',
};

describe('normalizeGithubDeploymentStatus', () => {
  it('reads in_progress as a started deployment', () => {
    expect(normalize(inProgress)).toStrictEqual([
      {
        ...productionDeployment,
        sourceId: 'github:22001',
        occurredAt: '2024-05-14T09:40:20.000Z',
        phase: 'started',
      },
    ]);
  });

  it('reads success as a succeeded deployment', () => {
    expect(normalize(success)).toStrictEqual([
      {
        ...productionDeployment,
        sourceId: 'github:22002',
        occurredAt: '2024-05-14T09:44:03.000Z',
        phase: 'succeeded',
      },
    ]);
  });

  it('reads failure without a payload: repository name, ref, and the legacy target_url', () => {
    expect(normalize(failure)).toStrictEqual([
      {
        format: 'github',
        kind: 'deployment',
        sourceId: 'github:22107',
        occurredAt: '2024-05-14T09:06:31.000Z',
        phase: 'failed',
        service: 'payments-api',
        environment: 'staging',
        version: 'main',
        commit: '5b1d0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c',
        deploymentId: '1234567999',
        reportedBy: 'alice',
        url: 'https://ci.example.com/builds/4412',
      },
    ]);
  });

  it('reads error as a failed deployment', () => {
    const [observation] = normalize(edited(failure, 'deployment_status.state', 'error'));
    expect(observation).toMatchObject({ phase: 'failed' });
  });

  it.each(['pending', 'queued', 'waiting', 'inactive'])('reports nothing for %s', (state) => {
    expect(normalize(edited(success, 'deployment_status.state', state))).toStrictEqual([]);
  });

  it('reads a payload sent as JSON text', () => {
    const payload = JSON.stringify({ service: 'Ledger', changeId: 'CHG-7' });
    const [observation] = normalize(edited(failure, 'deployment.payload', payload));
    expect(observation).toMatchObject({ service: 'ledger', changeId: 'CHG-7', version: 'main' });
  });

  it('finds none of its fields in a payload of free text', () => {
    const [observation] = normalize(edited(failure, 'deployment.payload', 'deploy please'));
    expect(observation).toMatchObject({ service: 'payments-api' });
    expect(observation).not.toHaveProperty('changeId');
  });

  it('reads a message that came without the event header (Kafka)', () => {
    expect(normalizeGithubDeploymentStatus(jsonMessage(success))).toHaveLength(1);
  });

  describe('refuses', () => {
    it('another GitHub event', () => {
      const message = jsonMessage(success, { 'x-github-event': 'deployment' });
      expect(() => normalizeGithubDeploymentStatus(message)).toThrow(
        new MalformedMessage('unsupported GitHub event "deployment"', 'x-github-event'),
      );
    });

    it('a body that is not JSON', () => {
      const message = { body: Buffer.from('payload=%7B%7D'), headers: HEADERS };
      expect(() => normalizeGithubDeploymentStatus(message)).toThrow(
        new MalformedMessage('body is not JSON'),
      );
    });

    it.each([
      ['deployment_status', undefined, 'is required'],
      ['deployment_status.state', undefined, 'is required'],
      [
        'deployment_status.state',
        'destroyed',
        'must be one of: in_progress, success, failure, error, pending, queued, waiting, inactive',
      ],
      ['deployment_status.id', undefined, 'is required'],
      ['deployment_status.id', '22002', 'must be an integer'],
      ['deployment_status.created_at', undefined, 'is required'],
      [
        'deployment_status.created_at',
        '14/05/2024 09:44',
        'must be an ISO-8601 date-time with seconds and a UTC offset',
      ],
      ['deployment_status.log_url', false, 'must be a string'],
      ['deployment', undefined, 'is required'],
      ['deployment.id', 1.5, 'must be an integer'],
      ['deployment.sha', undefined, 'is required'],
      ['deployment.environment', '', 'must not be empty'],
      ['deployment.payload.changeId', 1042, 'must be a string'],
      ['deployment.payload.service', ['payments-api'], 'must be a string'],
    ])('a deployment_status whose %s is %j', (path, value, reason) => {
      expect(() => normalize(edited(success, path, value))).toThrow(
        new MalformedMessage(reason, path),
      );
    });

    it('a deployment naming no service, in its payload or by its repository', () => {
      const body = edited(failure, 'repository.name', undefined);
      expect(() => normalize(body)).toThrow(new MalformedMessage('is required', 'repository.name'));
    });
  });
});

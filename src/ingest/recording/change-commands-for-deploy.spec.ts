import type { ChangeState } from '../../changes/domain/change-state';
import type { DeploymentObservation } from '../observation';
import { changeCommandsForDeploy, ingestActor } from './change-commands-for-deploy';

const deploy: DeploymentObservation = {
  kind: 'deployment',
  format: 'generic',
  sourceId: 'generic:1',
  occurredAt: '2026-11-22T10:00:00.000Z',
  phase: 'succeeded',
  service: 'checkout',
  environment: 'production',
  version: '1.2.0',
  commit: 'abc1234',
  deploymentId: 'run-7',
  stage: 'canary',
  percent: 5,
};
const status = (s: string) => ({ status: s }) as unknown as ChangeState;

describe('what a reported deploy means for its change', () => {
  it('maps each phase to the lifecycle command', () => {
    expect(changeCommandsForDeploy(deploy, 'started', status('approved'), null)).toEqual([
      { kind: 'StartDeployment', deploymentId: 'run-7', version: '1.2.0', commit: 'abc1234' },
    ]);
    expect(changeCommandsForDeploy(deploy, 'succeeded', status('approved'), null)).toEqual([
      { kind: 'MarkDeployed', version: '1.2.0', commit: 'abc1234' },
    ]);
    expect(changeCommandsForDeploy(deploy, 'removed', status('deployed'), null)).toEqual([]);
  });

  it('starts the deployment before its first stage when needed', () => {
    expect(
      changeCommandsForDeploy(deploy, 'stage', status('approved'), null).map((c) => c.kind),
    ).toEqual(['StartDeployment', 'CompleteRolloutStage']);
    expect(changeCommandsForDeploy(deploy, 'stage', status('deploying'), null)).toEqual([
      { kind: 'CompleteRolloutStage', stage: 'canary', percent: 5, gates: [] },
    ]);
    const noPercent = { ...deploy, percent: undefined };
    expect(changeCommandsForDeploy(noPercent, 'stage', status('deploying'), null)).toEqual([]);
  });

  it('rolls back a deployment in progress that failed, and nothing else', () => {
    expect(changeCommandsForDeploy(deploy, 'failed', status('deploying'), null)).toEqual([
      { kind: 'RollBackChange', reason: 'deployment reported failed by generic' },
    ]);
    expect(changeCommandsForDeploy(deploy, 'failed', status('approved'), null)).toEqual([]);
  });

  it('explains a detected rollback with the version the service returned to', () => {
    expect(changeCommandsForDeploy(deploy, 'rolledback', status('deployed'), 'v1')).toEqual([
      {
        kind: 'RollBackChange',
        reason: 'checkout in production returned to version v1',
        toVersion: 'v1',
      },
    ]);
    expect(changeCommandsForDeploy(deploy, 'rolledback', status('deployed'), null)).toEqual([
      { kind: 'RollBackChange', reason: 'rollback reported by generic', toVersion: '1.2.0' },
    ]);
  });

  it('acts as the authenticated sender with the deployer role, whoever the payload names', () => {
    const origin = {
      source: 'webhook:generic',
      correlationId: 'r1',
      sender: 'ci-bot',
      receivedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(ingestActor(origin)).toEqual({ id: 'ci-bot', roles: ['deployer'] });
  });
});

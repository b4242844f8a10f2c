import { deploymentHistory, returnsToEarlierVersion } from './deployment-history';
import type { DeploymentObservedData } from './service-events';

const deployed = (
  version: string,
  fields: Partial<DeploymentObservedData> = {},
): DeploymentObservedData => ({
  service: 'checkout',
  environment: 'production',
  phase: 'succeeded',
  version,
  format: 'generic',
  changeId: `change-of-${version}`,
  matchedBy: 'commit',
  at: '2026-11-22T10:00:00.000Z',
  ...fields,
});

describe('deployment history', () => {
  it('knows what runs now and what ran before, per environment', () => {
    const history = deploymentHistory(
      [deployed('v1'), deployed('v2'), deployed('x9', { environment: 'staging' }), deployed('v3')],
      'production',
    );
    expect(history.current).toEqual({ version: 'v3', changeId: 'change-of-v3' });
    expect([...history.earlier].sort()).toEqual(['v1', 'v2']);
  });

  it('ignores deploys that never replaced what was running', () => {
    const history = deploymentHistory(
      [deployed('v1'), deployed('v2', { phase: 'started' }), deployed('v3', { phase: 'failed' })],
      'production',
    );
    expect(history.current?.version).toBe('v1');
    expect(history.earlier.size).toBe(0);
  });

  it('counts a rollback as what runs afterwards', () => {
    const history = deploymentHistory(
      [deployed('v1'), deployed('v2'), deployed('v1', { phase: 'rolledback' })],
      'production',
    );
    expect(history.current?.version).toBe('v1');
    expect([...history.earlier]).toEqual(['v2']);
  });

  it('sees V1, V2, V1 as the rollback of V2', () => {
    const history = deploymentHistory([deployed('v1'), deployed('v2')], 'production');
    expect(returnsToEarlierVersion(history, 'v1')).toEqual({
      fromVersion: 'v2',
      toVersion: 'v1',
      changeId: 'change-of-v2',
    });
  });

  it('sees no rollback in a new version, a redeploy of the current one, or a first deploy', () => {
    const history = deploymentHistory([deployed('v1'), deployed('v2')], 'production');
    expect(returnsToEarlierVersion(history, 'v3')).toBeNull();
    expect(returnsToEarlierVersion(history, 'v2')).toBeNull();
    expect(returnsToEarlierVersion(history, undefined)).toBeNull();
    expect(returnsToEarlierVersion(deploymentHistory([], 'production'), 'v1')).toBeNull();
  });
});

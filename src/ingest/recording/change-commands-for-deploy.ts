import type { Principal } from '../../kernel/principal';
import type { ChangeState } from '../../changes/domain/change-state';
import type { ChangeCommandBody } from '../../changes/domain/commands';
import type { DeploymentPhase } from '../../deployments/domain/service-events';
import type { DeploymentObservation } from '../observation';
import type { IngestOrigin } from './ingest-item';

/**
 * What a reported deploy means for its change. A stage or a failure only means something to
 * a deployment in progress; a reported removal concerns the service, not a change.
 */
export function changeCommandsForDeploy(
  deploy: DeploymentObservation,
  phase: DeploymentPhase,
  state: ChangeState,
  rolledBackTo: string | null,
): ChangeCommandBody[] {
  const { version, commit, deploymentId } = deploy;
  const startIfNeeded: ChangeCommandBody[] =
    state.status === 'deploying'
      ? []
      : [{ kind: 'StartDeployment', deploymentId, version, commit }];
  switch (phase) {
    case 'started':
      return [{ kind: 'StartDeployment', deploymentId, version, commit }];
    case 'stage':
      return deploy.stage !== undefined && deploy.percent !== undefined
        ? [
            ...startIfNeeded,
            {
              kind: 'CompleteRolloutStage',
              stage: deploy.stage,
              percent: deploy.percent,
              gates: [],
            },
          ]
        : [];
    case 'succeeded':
      return [{ kind: 'MarkDeployed', version, commit }];
    case 'failed':
      return state.status === 'deploying'
        ? [{ kind: 'RollBackChange', reason: `deployment reported failed by ${deploy.format}` }]
        : [];
    case 'rolledback':
      return [
        {
          kind: 'RollBackChange',
          reason: rolledBackTo
            ? `${deploy.service} in ${deploy.environment} returned to version ${rolledBackTo}`
            : `rollback reported by ${deploy.format}`,
          toVersion: rolledBackTo ?? version,
        },
      ];
    case 'removed':
      return [];
  }
}

/**
 * Deploys reported by machines act with the deployer role, as the authenticated sender: what
 * the payload says about who deployed is kept as reported data, never taken as the actor.
 */
export function ingestActor(origin: IngestOrigin): Principal {
  return { id: origin.sender, roles: ['deployer'] };
}

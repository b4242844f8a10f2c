import type { EventStore } from '../../ledger/event-store';
import { loadChange } from '../../changes/load-change';
import type { ExistingChange } from '../../changes/domain/change-state';
import type { DeploymentHistory } from '../../deployments/domain/deployment-history';
import type { DeploymentObservedData } from '../../deployments/domain/service-events';
import type { DeploymentObservation } from '../observation';
import type { ChangeCandidates } from './change-candidates';
import { sameCommit } from '../../deployments/domain/commits';

export interface ChangeMatch {
  readonly changeId: string;
  readonly matchedBy: Exclude<DeploymentObservedData['matchedBy'], null>;
}

function matchesDeploy(change: ExistingChange, deploy: DeploymentObservation): ChangeMatch | null {
  const commits = [change.request.externalRefs?.commit, change.deployment?.commit];
  if (commits.some((commit) => sameCommit(commit, deploy.commit))) {
    return { changeId: change.changeId, matchedBy: 'commit' };
  }
  if (deploy.version !== undefined && change.deployment?.version === deploy.version) {
    return { changeId: change.changeId, matchedBy: 'version' };
  }
  return null;
}

/**
 * Which change a reported deploy belongs to: the change the sender names; for a rollback,
 * the change that put the rolled-back version there; else an approved or in-flight change
 * of the same service and environment with the same commit (or deployment version).
 */
export class ChangeMatcher {
  constructor(private readonly store: EventStore) {}

  async match(
    deploy: DeploymentObservation,
    history: DeploymentHistory,
    rollingBack: boolean,
    candidates: ChangeCandidates,
  ): Promise<ChangeMatch | null> {
    if (deploy.changeId !== undefined) {
      const { state } = await loadChange(this.store, deploy.changeId);
      return state.status === 'none' ? null : { changeId: deploy.changeId, matchedBy: 'change-id' };
    }
    if (rollingBack) {
      const changeId = history.current?.changeId;
      return changeId ? { changeId, matchedBy: 'rollback-of' } : null;
    }
    for (const changeId of candidates.of(deploy)) {
      const { state } = await loadChange(this.store, changeId);
      const match = state.status === 'none' ? null : matchesDeploy(state, deploy);
      if (match) return match;
    }
    return null;
  }
}

import type { ChangeState, ExistingChange } from './change-state';
import type { ChangeEvent, ChangeRequestedData } from './events';

/**
 * Applies one recorded event to the state. Events are facts, so nothing is re-checked here;
 * only an event before ChangeRequested is impossible, and that means a corrupt stream.
 */
export function evolve(state: ChangeState, event: ChangeEvent): ChangeState {
  if (event.type === 'ChangeRequested') return requested(event.data);
  if (state.status === 'none') {
    throw new Error(`${event.type} cannot apply to a change that was never requested`);
  }
  switch (event.type) {
    case 'RiskAssessed':
      return { ...state, assessment: event.data };
    case 'ApprovalGranted': {
      const { approver, at, countsAsCab } = event.data;
      return { ...state, approvals: new Map(state.approvals).set(approver, { at, countsAsCab }) };
    }
    case 'ChangeRejected':
      return { ...state, status: 'rejected' };
    case 'ChangeDeferred':
      return { ...state, status: 'deferred' };
    case 'ChangeApproved':
      return { ...state, status: 'approved' };
    case 'ChangeScheduled':
      return { ...state, status: 'scheduled', window: event.data.window };
    case 'DeploymentStarted':
      return { ...state, status: 'deploying', deployment: event.data };
    case 'RolloutStageCompleted':
      return { ...state, rolloutStages: [...state.rolloutStages, event.data] };
    case 'ChangeDeployed':
      return { ...state, status: 'deployed', deployed: event.data };
    case 'ChangeVerified':
      return { ...state, status: 'verified' };
    case 'ChangeRolledBack':
      return { ...state, status: 'rolled-back' };
    case 'ChangeClosed':
      return { ...state, status: 'closed', outcome: event.data.outcome };
    case 'ChangeCancelled':
      return { ...state, status: 'cancelled' };
    case 'ReviewRecorded':
      return { ...state, reviews: [...state.reviews, event.data] };
    case 'CommandRefused':
      return state;
  }
}

function requested(data: ChangeRequestedData): ExistingChange {
  return {
    status: 'awaiting-approval',
    changeId: data.changeId,
    request: data.request,
    requestedBy: data.requestedBy,
    requestedAt: data.at,
    approvals: new Map(),
    rolloutStages: [],
    reviews: [],
  };
}

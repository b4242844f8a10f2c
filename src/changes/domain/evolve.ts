import { amendedRequest } from './amendment';
import type { ChangeState, ExistingChange } from './change-state';
import type { ChangeEvent, ChangeRequestedData } from './events';

/**
 * Applies one recorded event to the state. Events are facts, so nothing is re-checked here;
 * only an event before ChangeRequested is impossible, and that means a corrupt stream. The one
 * exception is a refused request: it is recorded on the stream of the change it would have been.
 */
export function evolve(state: ChangeState, event: ChangeEvent): ChangeState {
  if (event.type === 'ChangeRequested') return requested(event.data);
  if (state.status === 'none') {
    if (event.type === 'CommandRefused') return state;
    throw new Error(`${event.type} cannot apply to a change that was never requested`);
  }
  switch (event.type) {
    case 'RiskAssessed':
      return {
        ...state,
        assessment: event.data,
        approvalDueBy: event.data.approvalDueBy,
        overdueRecorded: false,
      };
    case 'ChangeAmended':
      return { ...state, request: amendedRequest(state.request, event.data.amendment) };
    case 'ApprovalsInvalidated':
      return {
        ...state,
        status: 'awaiting-approval',
        approvals: new Map(),
        approvalDueBy: event.data.approvalDueBy,
        overdueRecorded: false,
        approvedWindow: undefined,
        approvedArtifact: undefined,
      };
    case 'ApprovalOverdue':
      return { ...state, overdueRecorded: true };
    case 'ApprovalGranted': {
      const { approver, at, countsAsCab } = event.data;
      return { ...state, approvals: new Map(state.approvals).set(approver, { at, countsAsCab }) };
    }
    case 'ChangeRejected':
      return { ...state, status: 'rejected' };
    case 'ChangeDeferred':
      return { ...state, status: 'deferred' };
    case 'ChangeApproved':
      return {
        ...state,
        status: 'approved',
        approvedWindow: event.data.approvedWindow,
        approvedArtifact: event.data.approvedArtifact,
      };
    case 'ChangeScheduled':
      return { ...state, status: 'scheduled', window: event.data.window };
    case 'DeploymentStarted':
      return { ...state, status: 'deploying', deployment: event.data };
    case 'RolloutStageCompleted':
      return {
        ...state,
        rolloutStages: [...state.rolloutStages, event.data],
        halted: event.data.verdict === 'halt' ? event.data : state.halted,
      };
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
    overdueRecorded: false,
    rolloutStages: [],
    reviews: [],
  };
}

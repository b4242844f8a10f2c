import { approvalRouteFor } from '../../policy/approval-route';
import { BUILTIN_POLICY_VERSION } from '../../policy/policy-version';
import { assessRisk } from '../../policy/risk-assessment';
import { isQuorumReached } from './approval-quorum';
import { assessmentOf } from './change-state';
import type { ChangeState, ExistingChange } from './change-state';
import { assertValidWindow } from './change-window';
import { assertMayClose } from './closing-rules';
import type {
  ApproveChange,
  CancelChange,
  ChangeCommand,
  CloseChange,
  CompleteRolloutStage,
  DeferChange,
  MarkDeployed,
  RecordReview,
  RejectChange,
  RequestChange,
  RollBackChange,
  ScheduleChange,
  StartDeployment,
  VerifyChange,
} from './commands';
import { clearForDeployment } from './deployment-gate';
import { DomainError } from './domain-error';
import type { ChangeEvent } from './events';
import { requireInstant } from './instant';
import { assertValidRequest } from './request-validity';
import { hasText } from './required-text';
import { assertNextStage, stagePassed } from './rollout-progress';
import { assertNotRequester, assertRequesterOrAdmin } from './segregation-of-duties';
import { assertNewChange, changeFor, refusalMessage } from './transitions';
import type { FollowUpCommand } from './transitions';

/**
 * Decides what a command means for a change: the events to record, or a DomainError saying
 * why not. Pure: everything it needs is in the command (including the time) and the state.
 */
export function decide(command: ChangeCommand, state: ChangeState): ChangeEvent[] {
  requireInstant(command.at, 'at');
  switch (command.kind) {
    case 'RequestChange':
      return requestChange(command, state);
    case 'ApproveChange':
      return approveChange(command, changeFor(command, state));
    case 'RejectChange':
      return rejectChange(command, changeFor(command, state));
    case 'DeferChange':
      return deferChange(command, changeFor(command, state));
    case 'ScheduleChange':
      changeFor(command, state);
      return scheduleChange(command);
    case 'StartDeployment':
      return startDeployment(command, changeFor(command, state));
    case 'CompleteRolloutStage':
      return completeRolloutStage(command, changeFor(command, state));
    case 'MarkDeployed':
      return markDeployed(command, changeFor(command, state));
    case 'VerifyChange':
      changeFor(command, state);
      return verifyChange(command);
    case 'RollBackChange':
      return rollBackChange(command, changeFor(command, state));
    case 'CloseChange':
      return closeChange(command, changeFor(command, state));
    case 'CancelChange':
      return cancelChange(command, changeFor(command, state));
    case 'RecordReview':
      return recordReview(command, changeFor(command, state));
  }
}

function requestChange(command: RequestChange, state: ChangeState): ChangeEvent[] {
  assertNewChange(command, state);
  const { changeId, request, actor, at } = command;
  assertValidRequest(changeId, request);
  const risk = assessRisk(request);
  const routing = approvalRouteFor(request.type, risk.level);
  const policyVersion = BUILTIN_POLICY_VERSION;
  const events: ChangeEvent[] = [
    { type: 'ChangeRequested', data: { changeId, request, requestedBy: actor.id, at } },
    { type: 'RiskAssessed', data: { ...risk, ...routing, policyVersion, at } },
  ];
  if (routing.route === 'automatic') {
    events.push({
      type: 'ChangeApproved',
      data: { approvers: [], automatic: true, policyVersion, at },
    });
  }
  return events;
}

function approveChange(command: ApproveChange, change: ExistingChange): ChangeEvent[] {
  const { actor, at, comment } = command;
  assertNotRequester(change, actor, command.kind, 'self-approval');
  if (change.approvals.has(actor.id)) {
    throw new DomainError(
      'duplicate-approval',
      refusalMessage(command.kind, change.status, `${actor.id} already approved it`),
    );
  }
  const countsAsCab = actor.roles.includes('cab');
  const granted: ChangeEvent = {
    type: 'ApprovalGranted',
    data: { approver: actor.id, roles: [...actor.roles], comment, countsAsCab, at },
  };
  const assessment = assessmentOf(change);
  const approvals = new Map(change.approvals).set(actor.id, { at, countsAsCab });
  if (!isQuorumReached(approvals, assessment)) return [granted];
  return [
    granted,
    {
      type: 'ChangeApproved',
      data: {
        approvers: [...approvals.keys()],
        automatic: false,
        policyVersion: assessment.policyVersion,
        at,
      },
    },
  ];
}

function rejectChange(command: RejectChange, change: ExistingChange): ChangeEvent[] {
  const { actor, reason, at } = command;
  assertNotRequester(change, actor, command.kind, 'self-approval');
  assertReason(command, change);
  return [{ type: 'ChangeRejected', data: { rejectedBy: actor.id, reason, at } }];
}

function deferChange(command: DeferChange, change: ExistingChange): ChangeEvent[] {
  const { actor, reason, until, at } = command;
  assertNotRequester(change, actor, command.kind, 'self-approval');
  assertReason(command, change);
  if (until !== undefined && requireInstant(until, 'until') <= Date.parse(at)) {
    throw new DomainError(
      'invalid-time',
      refusalMessage(command.kind, change.status, `until ${until} is not after ${at}`),
    );
  }
  return [{ type: 'ChangeDeferred', data: { deferredBy: actor.id, reason, until, at } }];
}

function scheduleChange(command: ScheduleChange): ChangeEvent[] {
  const { actor, window, at } = command;
  assertValidWindow(window, 'the window');
  return [{ type: 'ChangeScheduled', data: { window, scheduledBy: actor.id, at } }];
}

function startDeployment(command: StartDeployment, change: ExistingChange): ChangeEvent[] {
  const { actor, deploymentId, version, commit, at } = command;
  const clearance = clearForDeployment(change, command.kind, at);
  return [
    {
      type: 'DeploymentStarted',
      data: { startedBy: actor.id, deploymentId, version, commit, ...clearance, at },
    },
  ];
}

function completeRolloutStage(
  command: CompleteRolloutStage,
  change: ExistingChange,
): ChangeEvent[] {
  const { stage, percent, gates, at } = command;
  assertNextStage(change, command);
  return [
    {
      type: 'RolloutStageCompleted',
      data: { stage, percent, gates, passed: stagePassed(gates), at },
    },
  ];
}

function markDeployed(command: MarkDeployed, change: ExistingChange): ChangeEvent[] {
  const { actor, version, commit, at } = command;
  const deployed: ChangeEvent = {
    type: 'ChangeDeployed',
    data: { deployedBy: actor.id, version, commit, at },
  };
  if (change.status === 'deploying') return [deployed];
  const clearance = clearForDeployment(change, command.kind, at);
  return [
    { type: 'DeploymentStarted', data: { startedBy: actor.id, version, commit, ...clearance, at } },
    deployed,
  ];
}

function verifyChange(command: VerifyChange): ChangeEvent[] {
  const { actor, notes, at } = command;
  return [{ type: 'ChangeVerified', data: { verifiedBy: actor.id, notes, at } }];
}

function rollBackChange(command: RollBackChange, change: ExistingChange): ChangeEvent[] {
  const { actor, reason, toVersion, at } = command;
  assertReason(command, change);
  return [{ type: 'ChangeRolledBack', data: { rolledBackBy: actor.id, reason, toVersion, at } }];
}

function closeChange(command: CloseChange, change: ExistingChange): ChangeEvent[] {
  const { actor, outcome, notes, at } = command;
  assertMayClose(change, command);
  return [{ type: 'ChangeClosed', data: { closedBy: actor.id, outcome, notes, at } }];
}

function cancelChange(command: CancelChange, change: ExistingChange): ChangeEvent[] {
  const { actor, reason, at } = command;
  assertRequesterOrAdmin(change, actor, command.kind);
  assertReason(command, change);
  return [{ type: 'ChangeCancelled', data: { cancelledBy: actor.id, reason, at } }];
}

function recordReview(command: RecordReview, change: ExistingChange): ChangeEvent[] {
  const { actor, summary, findings = [], at } = command;
  assertNotRequester(change, actor, command.kind, 'self-review');
  if (!hasText(summary)) {
    throw new DomainError(
      'summary-required',
      refusalMessage(command.kind, change.status, 'a review needs a summary'),
    );
  }
  return [{ type: 'ReviewRecorded', data: { reviewer: actor.id, summary, findings, at } }];
}

/** A refusal, rollback or withdrawal without a stated reason is useless to an auditor. */
function assertReason(
  command: Extract<FollowUpCommand, { reason: string }>,
  change: ExistingChange,
): void {
  if (!hasText(command.reason)) {
    throw new DomainError(
      'reason-required',
      refusalMessage(command.kind, change.status, 'a reason is required'),
    );
  }
}

import { contains, spanOf } from '../../policy/windows/span';
import { amendedFields, amendedRequest, changesScope } from './amendment';
import { isQuorumReached } from './approval-quorum';
import { assessRequest } from './assessment';
import { artifactOf, type Artifact } from './change-request';
import { assessmentOf } from './change-state';
import type { ChangeState, ExistingChange } from './change-state';
import { assertValidWindow, type TimeWindow } from './change-window';
import { assertMayClose } from './closing-rules';
import type {
  AmendChange,
  ApproveChange,
  CancelChange,
  ChangeCommand,
  CloseChange,
  CompleteRolloutStage,
  DeferChange,
  MarkDeployed,
  RecordApprovalOverdue,
  RecordReview,
  RejectChange,
  RequestChange,
  RollBackChange,
  ScheduleChange,
  StartDeployment,
  VerifyChange,
} from './commands';
import { clearForDeployment } from './deployment-gate';
import { DomainError, type DomainErrorCode } from '../../kernel/domain-error';
import type { ChangeApprovedData, ChangeEvent, RiskAssessedData } from './events';
import { requireInstant } from '../../kernel/instant';
import { assertValidRequest } from './request-validity';
import { hasText } from '../../kernel/required-text';
import { assertNextStage, assertNotHalted, stageVerdict } from './rollout-progress';
import { assertNotRequester, assertRequesterOrAdmin } from './segregation-of-duties';
import { assertNewChange, changeFor, refusalMessage } from './transitions';
import type { FollowUpCommand } from './transitions';
import { clearWindow } from './window-rules';

const HOUR_MS = 3_600_000;

/** Before deploying, a change's scope may still be edited (and approved again). */
const SCOPE_EDITABLE = new Set(['awaiting-approval', 'deferred', 'approved', 'scheduled']);

/**
 * Decides what a command means for a change: the events to record, or a DomainError saying
 * why not. Pure: everything it needs is in the command (the time, the policy in force, the
 * facts the ledger knows) and the state.
 */
export function decide(command: ChangeCommand, state: ChangeState): ChangeEvent[] {
  requireInstant(command.at, 'at');
  requireInstant(command.receivedAt, 'receivedAt');
  switch (command.kind) {
    case 'RequestChange':
      return requestChange(command, state);
    case 'AmendChange':
      return amendChange(command, changeFor(command, state));
    case 'ApproveChange':
      return approveChange(command, changeFor(command, state));
    case 'RejectChange':
      return rejectChange(command, changeFor(command, state));
    case 'DeferChange':
      return deferChange(command, changeFor(command, state));
    case 'ScheduleChange':
      return scheduleChange(command, changeFor(command, state));
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
    case 'RecordApprovalOverdue':
      return recordApprovalOverdue(command, changeFor(command, state));
  }
}

/** A refusal of a command on an existing change, in the words every refusal uses. */
function refuser(command: FollowUpCommand, change: ExistingChange) {
  return (code: DomainErrorCode, why: string) =>
    new DomainError(code, refusalMessage(command.kind, change.status, why));
}

function requestChange(command: RequestChange, state: ChangeState): ChangeEvent[] {
  assertNewChange(command, state);
  const { changeId, actor, at } = command;
  assertValidRequest(changeId, command.request);
  const { request, assessment } = assessRequest(
    command,
    command.request,
    at,
    (code, why) => new DomainError(code, `cannot request change ${changeId}: ${why}`),
  );
  const events: ChangeEvent[] = [
    { type: 'ChangeRequested', data: { changeId, request, requestedBy: actor.id, at } },
    { type: 'RiskAssessed', data: assessment },
  ];
  if (assessment.route === 'automatic') events.push(automaticApproval(request, assessment, at));
  return events;
}

/**
 * Edits a request. Documentation (title, description, plans, ticket) may be edited until the
 * change is closed; an edit of its scope only before it deploys, and then it is assessed again
 * under the policy in force and every approval given so far no longer counts.
 */
function amendChange(command: AmendChange, change: ExistingChange): ChangeEvent[] {
  const { actor, amendment, at } = command;
  const refuse = refuser(command, change);
  assertRequesterOrAdmin(change, actor, command.kind);
  if (amendedFields(amendment).length === 0) {
    throw refuse('invalid-request', 'an amendment sets at least one field');
  }
  const amended = amendedRequest(change.request, amendment);
  assertValidRequest(change.changeId, amended);
  const scope = changesScope(change.request, amendment);
  const amendedEvent: ChangeEvent = {
    type: 'ChangeAmended',
    data: { amendedBy: actor.id, amendment, scope, at },
  };
  if (!scope) return [amendedEvent];
  if (!SCOPE_EDITABLE.has(change.status)) {
    throw new DomainError(
      'invalid-transition',
      refusalMessage(command.kind, change.status, 'its scope cannot change once it deploys'),
    );
  }
  const { request, assessment } = assessRequest(command, amended, change.requestedAt, refuse);
  const events: ChangeEvent[] = [amendedEvent, { type: 'RiskAssessed', data: assessment }];
  if (assessment.route === 'automatic') {
    events.push(automaticApproval(request, assessment, at));
    return events;
  }
  const invalidated = invalidation(change, assessment, 'its scope was amended', at);
  return invalidated === null ? events : [...events, invalidated];
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
        ...bindings(change.window ?? change.request.plannedWindow, artifactOf(change.request)),
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

/**
 * Schedules an approved change into a window the policy allows it. The approval binds the
 * window it approved: a window outside it needs the approvers again (a change the policy
 * approved from a template is simply approved for the new window).
 */
function scheduleChange(command: ScheduleChange, change: ExistingChange): ChangeEvent[] {
  const { actor, window, at, policy } = command;
  assertValidWindow(window, 'the window');
  const assessment = assessmentOf(change);
  const { maintenanceWindow, conflicts } = clearWindow(
    {
      policy,
      route: assessment.route,
      environment: change.request.environment,
      services: change.request.services,
      tier: assessment.mostCriticalTier,
      requestedAt: change.requestedAt,
      window,
      freezes: command.freezes,
      overlapping: command.overlapping,
    },
    refuser(command, change),
  );
  const scheduled: ChangeEvent = {
    type: 'ChangeScheduled',
    data: {
      window,
      scheduledBy: actor.id,
      maintenanceWindow,
      conflicts,
      policyVersion: policy.version,
      at,
    },
  };
  const bound = change.approvedWindow;
  if (
    assessment.route === 'automatic' ||
    bound === undefined ||
    contains(spanOf(bound), spanOf(window))
  ) {
    return [scheduled];
  }
  const reason =
    `rescheduled to ${window.start} – ${window.end}, ` +
    `outside the approved window ${bound.start} – ${bound.end}`;
  const invalidated = invalidation(change, assessment, reason, at);
  return invalidated === null ? [scheduled] : [scheduled, invalidated];
}

function startDeployment(command: StartDeployment, change: ExistingChange): ChangeEvent[] {
  const { actor, deploymentId, version, commit, at, receivedAt } = command;
  const clearance = clearForDeployment(change, command);
  return [
    {
      type: 'DeploymentStarted',
      data: {
        startedBy: actor.id,
        deploymentId,
        version,
        commit,
        ...clearance,
        ...receivedIfOther(at, receivedAt),
        at,
      },
    },
  ];
}

function completeRolloutStage(
  command: CompleteRolloutStage,
  change: ExistingChange,
): ChangeEvent[] {
  const { stage, percent, gates, metrics, at, policy } = command;
  assertNextStage(change, command);
  const { verdict, checks, reason, heldMinutes } = stageVerdict(change, command);
  return [
    {
      type: 'RolloutStageCompleted',
      data: {
        stage,
        percent,
        gates,
        metrics,
        checks,
        verdict,
        reason,
        heldMinutes,
        passed: verdict === 'promote',
        policyVersion: policy.version,
        at,
      },
    },
  ];
}

function markDeployed(command: MarkDeployed, change: ExistingChange): ChangeEvent[] {
  const { actor, version, commit, at, receivedAt } = command;
  assertNotHalted(change, command);
  const deployed: ChangeEvent = {
    type: 'ChangeDeployed',
    data: { deployedBy: actor.id, version, commit, at },
  };
  if (change.status === 'deploying') return [deployed];
  const clearance = clearForDeployment(change, command);
  return [
    {
      type: 'DeploymentStarted',
      data: {
        startedBy: actor.id,
        version,
        commit,
        ...clearance,
        ...receivedIfOther(at, receivedAt),
        at,
      },
    },
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
  const { actor, summary, findings = [], reviewKind = 'post-implementation', at } = command;
  assertNotRequester(change, actor, command.kind, 'self-review');
  if (!hasText(summary)) {
    throw new DomainError(
      'summary-required',
      refusalMessage(command.kind, change.status, 'a review needs a summary'),
    );
  }
  return [
    {
      type: 'ReviewRecorded',
      data: { reviewer: actor.id, summary, findings, kind: reviewKind, at },
    },
  ];
}

/** Records, once per deadline, that approvers let the route's SLA pass. */
function recordApprovalOverdue(
  command: RecordApprovalOverdue,
  change: ExistingChange,
): ChangeEvent[] {
  const { at } = command;
  const assessment = assessmentOf(change);
  const dueBy = change.approvalDueBy;
  if (dueBy === undefined || assessment.approvalSla === null || change.overdueRecorded) return [];
  if (Date.parse(at) < Date.parse(dueBy)) {
    throw new DomainError(
      'not-overdue',
      refusalMessage(command.kind, change.status, `its approvals are due by ${dueBy}`),
    );
  }
  return [
    {
      type: 'ApprovalOverdue',
      data: {
        route: assessment.route,
        dueBy,
        escalateTo: assessment.approvalSla.escalateTo,
        policyVersion: assessment.policyVersion,
        at,
      },
    },
  ];
}

/** The policy approves a change that fits one of its templates, for what it was requested. */
function automaticApproval(
  request: ExistingChange['request'],
  assessment: RiskAssessedData,
  at: string,
): ChangeEvent {
  return {
    type: 'ChangeApproved',
    data: {
      approvers: [],
      automatic: true,
      ...bindings(request.plannedWindow, artifactOf(request)),
      policyVersion: assessment.policyVersion,
      at,
    },
  };
}

/** What an approval binds: the window and the artifact it approved, where the change names them. */
function bindings(
  window: TimeWindow | undefined,
  artifact: Artifact | undefined,
): Pick<ChangeApprovedData, 'approvedWindow' | 'approvedArtifact'> {
  return { approvedWindow: window, approvedArtifact: artifact };
}

/**
 * Approvals no longer count once what they approved changed: the change awaits approval
 * again, with a new deadline. Null when nobody had approved anything yet.
 */
function invalidation(
  change: ExistingChange,
  assessment: RiskAssessedData,
  reason: string,
  at: string,
): ChangeEvent | null {
  const invalidated = [...change.approvals.keys()];
  const approved = change.status === 'approved' || change.status === 'scheduled';
  if (invalidated.length === 0 && !approved) return null;
  const sla = assessment.approvalSla;
  return {
    type: 'ApprovalsInvalidated',
    data: {
      reason,
      invalidated,
      approvalDueBy:
        sla === null ? undefined : new Date(Date.parse(at) + sla.hours * HOUR_MS).toISOString(),
      policyVersion: assessment.policyVersion,
      at,
    },
  };
}

/** The ledger's receive time, recorded when the sender's time differs from it. */
function receivedIfOther(at: string, receivedAt: string): { receivedAt?: string } {
  return at === receivedAt ? {} : { receivedAt };
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

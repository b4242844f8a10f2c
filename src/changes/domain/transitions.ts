import type { ChangeState, ChangeStatus, ExistingChange } from './change-state';
import type { ChangeCommand, ChangeCommandKind, RequestChange } from './commands';
import { DomainError } from '../../kernel/domain-error';

/** Every command but RequestChange acts on a change that already exists. */
export type FollowUpCommand = Exclude<ChangeCommand, RequestChange>;
export type FollowUpKind = FollowUpCommand['kind'];

/**
 * The statuses from which each command can apply at all. Rules may still refuse it there:
 * the deployment gate, for one, refuses to deploy a change that is still awaiting approval.
 */
export const ALLOWED_FROM: { readonly [K in FollowUpKind]: readonly ChangeStatus[] } = {
  // Documentation may be edited until the change is closed; its scope only before deploying.
  AmendChange: [
    'awaiting-approval',
    'deferred',
    'approved',
    'scheduled',
    'deploying',
    'deployed',
    'verified',
    'rolled-back',
  ],
  ApproveChange: ['awaiting-approval', 'deferred'],
  RejectChange: ['awaiting-approval', 'deferred'],
  DeferChange: ['awaiting-approval', 'deferred'],
  ScheduleChange: ['approved', 'scheduled'],
  StartDeployment: ['awaiting-approval', 'deferred', 'approved', 'scheduled'],
  CompleteRolloutStage: ['deploying'],
  // CI systems often report only "deployed", so that may also start the deployment.
  MarkDeployed: ['awaiting-approval', 'deferred', 'approved', 'scheduled', 'deploying'],
  VerifyChange: ['deployed'],
  RollBackChange: ['deploying', 'deployed', 'verified'],
  CloseChange: ['deployed', 'verified', 'rolled-back'],
  // Once a deployment has started, production has changed: it is rolled back, not cancelled.
  CancelChange: ['awaiting-approval', 'deferred', 'approved', 'scheduled'],
  RecordReview: ['deploying', 'deployed', 'verified', 'rolled-back', 'closed'],
  RecordApprovalOverdue: ['awaiting-approval', 'deferred'],
};

const VERB: { readonly [K in ChangeCommandKind]: string } = {
  RequestChange: 'request',
  AmendChange: 'amend',
  ApproveChange: 'approve',
  RejectChange: 'reject',
  DeferChange: 'defer',
  ScheduleChange: 'schedule',
  StartDeployment: 'start deploying',
  CompleteRolloutStage: 'complete a rollout stage of',
  MarkDeployed: 'mark as deployed',
  VerifyChange: 'verify',
  RollBackChange: 'roll back',
  CloseChange: 'close',
  CancelChange: 'cancel',
  RecordReview: 'record a review of',
  RecordApprovalOverdue: 'record an overdue approval of',
};

/** Every refusal reads the same way and names the status the change is in. */
export function refusalMessage(
  kind: ChangeCommandKind,
  status: ChangeStatus,
  why?: string,
): string {
  const refusal = `cannot ${VERB[kind]} a change that is ${status}`;
  return why === undefined ? refusal : `${refusal}: ${why}`;
}

/** Refuses (change-exists) to request a change under an id that is already taken. */
export function assertNewChange(command: RequestChange, state: ChangeState): void {
  if (state.status !== 'none') {
    throw new DomainError(
      'change-exists',
      refusalMessage(command.kind, state.status, `change ${command.changeId} already exists`),
    );
  }
}

/** The change a command acts on, once its existence and status allow the command. */
export function changeFor(command: FollowUpCommand, state: ChangeState): ExistingChange {
  if (state.status === 'none') {
    throw new DomainError('change-not-found', `change ${command.changeId} does not exist`);
  }
  if (!ALLOWED_FROM[command.kind].includes(state.status)) {
    throw new DomainError('invalid-transition', refusalMessage(command.kind, state.status));
  }
  return state;
}

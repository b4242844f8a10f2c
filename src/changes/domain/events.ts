import type { Role } from '../../auth/role';
import type { ApprovalRoute } from '../../policy/approval-route';
import type { RiskLevel } from '../../policy/risk-assessment';
import type { ChangeRequest } from './change-request';
import type { TimeWindow } from './change-window';
import type { ChangeOutcome, GateResult } from './commands';

// Every event carries the principal id of whoever decided or reported it and `at`, the
// ISO-8601 time the command came in with; together with the policy version that is the
// "who, when, under which policy" an auditor asks for.

export interface ChangeRequestedData {
  readonly changeId: string;
  readonly request: ChangeRequest;
  readonly requestedBy: string;
  readonly at: string;
}

export interface RiskAssessedData {
  readonly score: number;
  readonly level: RiskLevel;
  readonly factors: readonly string[];
  readonly route: ApprovalRoute;
  readonly requiredApprovals: number;
  readonly requiresCab: boolean;
  readonly policyVersion: string;
  readonly at: string;
}

export interface ApprovalGrantedData {
  readonly approver: string;
  /** The approver's roles when approving, so the CAB count can be re-checked later. */
  readonly roles: readonly Role[];
  readonly comment?: string;
  readonly countsAsCab: boolean;
  readonly at: string;
}

export interface ChangeRejectedData {
  readonly rejectedBy: string;
  readonly reason: string;
  readonly at: string;
}

export interface ChangeDeferredData {
  readonly deferredBy: string;
  readonly reason: string;
  readonly until?: string;
  readonly at: string;
}

export interface ChangeApprovedData {
  /** Empty when the policy approved the change on request. */
  readonly approvers: readonly string[];
  readonly automatic: boolean;
  readonly policyVersion: string;
  readonly at: string;
}

export interface ChangeScheduledData {
  readonly window: TimeWindow;
  readonly scheduledBy: string;
  readonly at: string;
}

export interface DeploymentStartedData {
  readonly startedBy: string;
  readonly deploymentId?: string;
  readonly version?: string;
  readonly commit?: string;
  /** Only an emergency may start outside its window; the fact is kept for the audit. */
  readonly outsideWindow: boolean;
  readonly flaggedForReview: boolean;
  /** Set when flagged: recorded with the decision so a later policy change cannot move it. */
  readonly reviewDueBy?: string;
  readonly at: string;
}

export interface RolloutStageCompletedData {
  readonly stage: string;
  readonly percent: number;
  readonly gates: readonly GateResult[];
  /** False when any gate failed; rolling back stays a separate, explicit decision. */
  readonly passed: boolean;
  readonly at: string;
}

export interface ChangeDeployedData {
  readonly deployedBy: string;
  readonly version?: string;
  readonly commit?: string;
  readonly at: string;
}

export interface ChangeVerifiedData {
  readonly verifiedBy: string;
  readonly notes?: string;
  readonly at: string;
}

export interface ChangeRolledBackData {
  readonly rolledBackBy: string;
  readonly reason: string;
  readonly toVersion?: string;
  readonly at: string;
}

export interface ChangeClosedData {
  readonly closedBy: string;
  readonly outcome: ChangeOutcome;
  readonly notes?: string;
  readonly at: string;
}

export interface ChangeCancelledData {
  readonly cancelledBy: string;
  readonly reason: string;
  readonly at: string;
}

export interface ReviewRecordedData {
  readonly reviewer: string;
  readonly summary: string;
  readonly findings: readonly string[];
  readonly at: string;
}

/**
 * A command a rule refused, kept because the attempt itself matters to an audit: someone
 * tried to approve their own change, or to deploy before approval or outside the window.
 */
export interface CommandRefusedData {
  readonly command: string;
  readonly actor: string;
  readonly code: string;
  readonly reason: string;
  readonly at: string;
}

/** Event type name → the shape of its data. */
export interface ChangeEventDataMap {
  ChangeRequested: ChangeRequestedData;
  RiskAssessed: RiskAssessedData;
  ApprovalGranted: ApprovalGrantedData;
  ChangeRejected: ChangeRejectedData;
  ChangeDeferred: ChangeDeferredData;
  ChangeApproved: ChangeApprovedData;
  ChangeScheduled: ChangeScheduledData;
  DeploymentStarted: DeploymentStartedData;
  RolloutStageCompleted: RolloutStageCompletedData;
  ChangeDeployed: ChangeDeployedData;
  ChangeVerified: ChangeVerifiedData;
  ChangeRolledBack: ChangeRolledBackData;
  ChangeClosed: ChangeClosedData;
  ChangeCancelled: ChangeCancelledData;
  ReviewRecorded: ReviewRecordedData;
  CommandRefused: CommandRefusedData;
}

export type ChangeEventType = keyof ChangeEventDataMap;

/** Any change event, or with a type argument the event(s) of those types. */
export type ChangeEvent<T extends ChangeEventType = ChangeEventType> = {
  [K in T]: { readonly type: K; readonly data: ChangeEventDataMap[K] };
}[T];

// A record rather than a list, so the compiler refuses one that forgets an event type.
const EVENT_TYPE_INDEX: { readonly [K in ChangeEventType]: null } = {
  ChangeRequested: null,
  RiskAssessed: null,
  ApprovalGranted: null,
  ChangeRejected: null,
  ChangeDeferred: null,
  ChangeApproved: null,
  ChangeScheduled: null,
  DeploymentStarted: null,
  RolloutStageCompleted: null,
  ChangeDeployed: null,
  ChangeVerified: null,
  ChangeRolledBack: null,
  ChangeClosed: null,
  ChangeCancelled: null,
  ReviewRecorded: null,
  CommandRefused: null,
};

export const CHANGE_EVENT_TYPES = Object.keys(EVENT_TYPE_INDEX) as readonly ChangeEventType[];

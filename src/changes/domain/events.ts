import type { Role } from '../../kernel/principal';
import type { ServiceTier } from '../../services/domain/catalog-events';
import type { Conflict } from '../../policy/conflicts/change-conflicts';
import type { GateCheck, StageMetrics } from '../../policy/gates/stage-gates';
import type { ApprovalSla, RiskLevel } from '../../policy/policy';
import type { RiskFactor } from '../../policy/risk/assess-risk';
import type { ChangeFacts } from '../../policy/risk/change-facts';
import type { ApprovalRoute } from '../../policy/routing/approval-route';
import type { ChangeAmendment } from './amendment';
import type { Artifact, ChangeRequest } from './change-request';
import type { TimeWindow } from './change-window';
import type { ChangeOutcome, GateResult, ReviewKind } from './commands';

// Every event carries the principal id of whoever decided or reported it and `at`, the
// ISO-8601 time the command came in with; together with the policy version that is the
// "who, when, under which policy" an auditor asks for. Fields added since a shape was first
// recorded are optional or filled in when read (upcast.ts): recorded events never change.

export interface ChangeRequestedData {
  readonly changeId: string;
  /** As requested; a template change carries its template's steps and rollback plan. */
  readonly request: ChangeRequest;
  readonly requestedBy: string;
  readonly at: string;
}

/** The risk, the route and everything they rest on: recorded at request and at re-assessment. */
export interface RiskAssessedData {
  readonly score: number;
  readonly level: RiskLevel;
  readonly factors: readonly RiskFactor[];
  readonly route: ApprovalRoute;
  readonly requiredApprovals: number;
  readonly requiredCabApprovals: number;
  readonly requiresCab: boolean;
  /** Which routing rule (or type) chose the route. */
  readonly routedBy: string;
  readonly approvalSla: ApprovalSla | null;
  /** When approvers are overdue; absent without an SLA. */
  readonly approvalDueBy?: string;
  readonly templateId?: string;
  /** The facts the ledger knew, as the assessment used them. */
  readonly facts: ChangeFacts;
  /** The most critical tier among the changed services: it picks the maintenance windows. */
  readonly mostCriticalTier: ServiceTier;
  /** Overlaps of the planned window the policy only warns of (refused ones are refusals). */
  readonly conflicts: readonly Conflict[];
  readonly policyVersion: string;
  readonly at: string;
}

/** The request as edited; `scope` says whether the edit needs new approvals. */
export interface ChangeAmendedData {
  readonly amendedBy: string;
  readonly amendment: ChangeAmendment;
  readonly scope: boolean;
  readonly at: string;
}

/** Approvals no longer count: what they approved changed. The change awaits approval again. */
export interface ApprovalsInvalidatedData {
  readonly reason: string;
  readonly invalidated: readonly string[];
  readonly approvalDueBy?: string;
  readonly policyVersion: string;
  readonly at: string;
}

/** The approval SLA passed with the change still awaiting approval. */
export interface ApprovalOverdueData {
  readonly route: ApprovalRoute;
  readonly dueBy: string;
  readonly escalateTo: string;
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
  /** What the approval binds: rescheduling outside this window needs new approvals. */
  readonly approvedWindow?: TimeWindow;
  /** Deploying another artifact is a compliance finding. */
  readonly approvedArtifact?: Artifact;
  readonly policyVersion: string;
  readonly at: string;
}

export interface ChangeScheduledData {
  readonly window: TimeWindow;
  readonly scheduledBy: string;
  /** The maintenance window of the policy it lies in, when one governs the change. */
  readonly maintenanceWindow?: string;
  /** Overlaps the policy only warns of. */
  readonly conflicts?: readonly Conflict[];
  readonly policyVersion?: string;
  readonly at: string;
}

export interface DeploymentStartedData {
  readonly startedBy: string;
  readonly deploymentId?: string;
  readonly version?: string;
  readonly commit?: string;
  /** Only an emergency may start outside its window; the fact is kept for the audit. */
  readonly outsideWindow: boolean;
  /** Freezes and blackouts an emergency started in. */
  readonly restrictions?: readonly string[];
  /** The maintenance window of the policy it started in, when one governs the change. */
  readonly maintenanceWindow?: string;
  readonly flaggedForReview: boolean;
  /** Set when flagged: recorded with the decision so a later policy change cannot move it. */
  readonly reviewDueBy?: string;
  readonly ticketDueBy?: string;
  readonly postMortemDueBy?: string;
  readonly policyVersion?: string;
  /** When the ledger received the report; `at` is when the sender says it started. */
  readonly receivedAt?: string;
  readonly at: string;
}

export interface RolloutStageCompletedData {
  readonly stage: string;
  readonly percent: number;
  /** Gates the reporter ran itself. */
  readonly gates: readonly GateResult[];
  readonly metrics?: StageMetrics;
  /** The ledger's checks of the policy's gates against the metrics. */
  readonly checks?: readonly GateCheck[];
  /** halt: the rollout may only be rolled back. */
  readonly verdict?: 'promote' | 'halt';
  readonly reason?: string;
  /** Minutes since the previous step, as the ledger measured them. */
  readonly heldMinutes?: number;
  /** verdict === 'promote'; rolling back stays a separate, explicit decision. */
  readonly passed: boolean;
  readonly policyVersion?: string;
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
  /** Absent: a post-implementation review. */
  readonly kind?: ReviewKind;
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
  readonly policyVersion?: string;
  /** A refused request, as it was asked: no ChangeRequested records it. */
  readonly request?: ChangeRequest;
  readonly at: string;
}

/** Event type name → the shape of its data. */
export interface ChangeEventDataMap {
  ChangeRequested: ChangeRequestedData;
  RiskAssessed: RiskAssessedData;
  ChangeAmended: ChangeAmendedData;
  ApprovalsInvalidated: ApprovalsInvalidatedData;
  ApprovalOverdue: ApprovalOverdueData;
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
  ChangeAmended: null,
  ApprovalsInvalidated: null,
  ApprovalOverdue: null,
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

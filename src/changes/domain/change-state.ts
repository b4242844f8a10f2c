import type { Artifact, ChangeRequest } from './change-request';
import type { TimeWindow } from './change-window';
import type { ChangeOutcome } from './commands';
import type {
  ChangeDeployedData,
  DeploymentStartedData,
  ReviewRecordedData,
  RiskAssessedData,
  RolloutStageCompletedData,
} from './events';

export const CHANGE_STATUSES = [
  'none',
  'awaiting-approval',
  'deferred',
  'approved',
  'rejected',
  'scheduled',
  'deploying',
  'deployed',
  'verified',
  'rolled-back',
  'closed',
  'cancelled',
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export interface GivenApproval {
  readonly at: string;
  readonly countsAsCab: boolean;
}

/** A stream with no events yet: the change has not been requested. */
export interface NoChange {
  readonly status: 'none';
}

/** What the decider needs to know about a requested change, folded from its events. */
export interface ExistingChange {
  readonly status: Exclude<ChangeStatus, 'none'>;
  readonly changeId: string;
  readonly request: ChangeRequest;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** The latest assessment (a scope amendment assesses again); absent only in a truncated stream. */
  readonly assessment?: RiskAssessedData;
  /** Principal id → their approval, in the order given; one entry per principal. */
  readonly approvals: ReadonlyMap<string, GivenApproval>;
  /** When the approvals still missing are due; absent without an SLA. */
  readonly approvalDueBy?: string;
  /** Whether ApprovalOverdue was recorded for the current approvalDueBy. */
  readonly overdueRecorded: boolean;
  /** What the last approval bound, while it holds. */
  readonly approvedWindow?: TimeWindow;
  readonly approvedArtifact?: Artifact;
  /** The scheduled window; it takes precedence over the request's planned window. */
  readonly window?: TimeWindow;
  /** Includes reviewDueBy when the deployment was flagged for review. */
  readonly deployment?: DeploymentStartedData;
  readonly deployed?: ChangeDeployedData;
  readonly rolloutStages: readonly RolloutStageCompletedData[];
  /** The stage whose gates halted the rollout: it may only be rolled back now. */
  readonly halted?: RolloutStageCompletedData;
  readonly reviews: readonly ReviewRecordedData[];
  readonly outcome?: ChangeOutcome;
}

export type ChangeState = NoChange | ExistingChange;

export const initialState: ChangeState = { status: 'none' };

/** The change's risk assessment; a stream without one was cut short and cannot be decided on. */
export function assessmentOf(change: ExistingChange): RiskAssessedData {
  if (change.assessment === undefined) {
    throw new Error(`change ${change.changeId} has no risk assessment: its stream is incomplete`);
  }
  return change.assessment;
}

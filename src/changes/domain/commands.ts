import type { Principal } from '../../kernel/principal';
import type { OverlappingChange } from '../../policy/conflicts/change-conflicts';
import type { StageMetrics } from '../../policy/gates/stage-gates';
import type { PolicyInForce } from '../../policy/policy-in-force';
import type { ChangeFacts } from '../../policy/risk/change-facts';
import type { RestrictedPeriod } from '../../policy/windows/restricted-periods';
import type { ChangeAmendment } from './amendment';
import type { ChangeRequest } from './change-request';
import type { TimeWindow } from './change-window';

export const CHANGE_OUTCOMES = [
  'successful',
  'successful-with-issues',
  'failed',
  'rolled-back',
] as const;
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number];

export const GATE_VERDICTS = ['pass', 'fail'] as const;
export type GateVerdict = (typeof GATE_VERDICTS)[number];

/** One automated check evaluated at a rollout stage (error rate, p99 latency delta, …). */
export interface GateResult {
  readonly name: string;
  readonly verdict: GateVerdict;
  readonly observed?: number;
  readonly threshold?: number;
}

/**
 * Who asks, when, and under which policy: time and rules come in with the command so the
 * decider stays pure.
 */
interface CommandBase {
  readonly changeId: string;
  readonly actor: Principal;
  /** ISO-8601 date-time with an offset: when it happened, as reported. */
  readonly at: string;
  /**
   * When the ledger received it, by its own clock. The same as `at` for API commands; for an
   * ingested deploy `at` is what the sender claims, so window rules check both.
   */
  readonly receivedAt: string;
  readonly policy: PolicyInForce;
}

/** Freezes declared through the API; the policy's blackouts come with the policy. */
interface KnowsFreezes {
  readonly freezes: readonly RestrictedPeriod[];
}

/** Other changes whose windows overlap the window the command is about. */
interface KnowsOverlaps extends KnowsFreezes {
  readonly overlapping: readonly OverlappingChange[];
}

/** What the ledger knows about the services a request touches (risk is assessed on it). */
interface KnowsFacts extends KnowsOverlaps {
  readonly facts: ChangeFacts;
}

export interface RequestChange extends CommandBase, KnowsFacts {
  readonly kind: 'RequestChange';
  readonly request: ChangeRequest;
}

/** Edits a request; an edit of its scope is assessed again and needs new approvals. */
export interface AmendChange extends CommandBase, KnowsFacts {
  readonly kind: 'AmendChange';
  readonly amendment: ChangeAmendment;
}

export interface ApproveChange extends CommandBase {
  readonly kind: 'ApproveChange';
  readonly comment?: string;
}

export interface RejectChange extends CommandBase {
  readonly kind: 'RejectChange';
  readonly reason: string;
}

export interface DeferChange extends CommandBase {
  readonly kind: 'DeferChange';
  readonly reason: string;
  readonly until?: string;
}

export interface ScheduleChange extends CommandBase, KnowsOverlaps {
  readonly kind: 'ScheduleChange';
  readonly window: TimeWindow;
}

export interface StartDeployment extends CommandBase, KnowsFreezes {
  readonly kind: 'StartDeployment';
  readonly deploymentId?: string;
  readonly version?: string;
  readonly commit?: string;
}

export interface CompleteRolloutStage extends CommandBase {
  readonly kind: 'CompleteRolloutStage';
  /** e.g. "canary". */
  readonly stage: string;
  /** Share of traffic or hosts now on the new version, in (0, 100]. */
  readonly percent: number;
  /** Gates the reporter ran itself; one that failed halts the rollout. */
  readonly gates: readonly GateResult[];
  /** What the stage observed: the ledger judges it against the policy's gates. */
  readonly metrics?: StageMetrics;
}

export interface MarkDeployed extends CommandBase, KnowsFreezes {
  readonly kind: 'MarkDeployed';
  readonly version?: string;
  readonly commit?: string;
}

export interface VerifyChange extends CommandBase {
  readonly kind: 'VerifyChange';
  readonly notes?: string;
}

export interface RollBackChange extends CommandBase {
  readonly kind: 'RollBackChange';
  readonly reason: string;
  readonly toVersion?: string;
}

export interface CloseChange extends CommandBase {
  readonly kind: 'CloseChange';
  readonly outcome: ChangeOutcome;
  readonly notes?: string;
}

export interface CancelChange extends CommandBase {
  readonly kind: 'CancelChange';
  readonly reason: string;
}

export const REVIEW_KINDS = ['post-implementation', 'post-mortem'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export interface RecordReview extends CommandBase {
  readonly kind: 'RecordReview';
  readonly summary: string;
  readonly findings?: readonly string[];
  /** Absent: a post-implementation review. */
  readonly reviewKind?: ReviewKind;
}

/** The approval SLA passed: recorded by the ledger itself, with whom to escalate to. */
export interface RecordApprovalOverdue extends CommandBase {
  readonly kind: 'RecordApprovalOverdue';
}

export type ChangeCommand =
  | RequestChange
  | AmendChange
  | ApproveChange
  | RejectChange
  | DeferChange
  | ScheduleChange
  | StartDeployment
  | CompleteRolloutStage
  | MarkDeployed
  | VerifyChange
  | RollBackChange
  | CloseChange
  | CancelChange
  | RecordReview
  | RecordApprovalOverdue;

export type ChangeCommandKind = ChangeCommand['kind'];

// A record rather than a list, so the compiler refuses one that forgets a command.
const COMMAND_KIND_INDEX: { readonly [K in ChangeCommandKind]: null } = {
  RequestChange: null,
  AmendChange: null,
  ApproveChange: null,
  RejectChange: null,
  DeferChange: null,
  ScheduleChange: null,
  StartDeployment: null,
  CompleteRolloutStage: null,
  MarkDeployed: null,
  VerifyChange: null,
  RollBackChange: null,
  CloseChange: null,
  CancelChange: null,
  RecordReview: null,
  RecordApprovalOverdue: null,
};

export const CHANGE_COMMAND_KINDS = Object.keys(COMMAND_KIND_INDEX) as readonly ChangeCommandKind[];

/** What the command path adds to a caller's command before deciding: rules and facts. */
export type DecisionContext = 'policy' | 'facts' | 'freezes' | 'overlapping';

/** A command as a caller states it: the command path adds the policy and the facts. */
export type ChangeIntent<K extends ChangeCommandKind = ChangeCommandKind> = K extends K
  ? Omit<Extract<ChangeCommand, { kind: K }>, DecisionContext>
  : never;

/** What a command says beyond who, when and which change: the caller supplies those. */
export type ChangeCommandBody<K extends ChangeCommandKind = ChangeCommandKind> = K extends K
  ? Omit<ChangeIntent<K>, 'changeId' | 'actor' | 'at' | 'receivedAt'>
  : never;

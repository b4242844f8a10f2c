import type { Principal } from '../../auth/role';
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

/** Who asks, and when: time always comes in with the command so the decider stays pure. */
interface CommandBase {
  readonly changeId: string;
  readonly actor: Principal;
  /** ISO-8601 date-time with an offset. */
  readonly at: string;
}

export interface RequestChange extends CommandBase {
  readonly kind: 'RequestChange';
  readonly request: ChangeRequest;
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

export interface ScheduleChange extends CommandBase {
  readonly kind: 'ScheduleChange';
  readonly window: TimeWindow;
}

export interface StartDeployment extends CommandBase {
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
  readonly gates: readonly GateResult[];
}

export interface MarkDeployed extends CommandBase {
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

export interface RecordReview extends CommandBase {
  readonly kind: 'RecordReview';
  readonly summary: string;
  readonly findings?: readonly string[];
}

export type ChangeCommand =
  | RequestChange
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
  | RecordReview;

export type ChangeCommandKind = ChangeCommand['kind'];

// A record rather than a list, so the compiler refuses one that forgets a command.
const COMMAND_KIND_INDEX: { readonly [K in ChangeCommandKind]: null } = {
  RequestChange: null,
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
};

export const CHANGE_COMMAND_KINDS = Object.keys(COMMAND_KIND_INDEX) as readonly ChangeCommandKind[];

/** What a command says beyond who, when and which change: the caller supplies those. */
export type ChangeCommandBody<K extends ChangeCommandKind = ChangeCommandKind> = K extends K
  ? Omit<Extract<ChangeCommand, { kind: K }>, 'changeId' | 'actor' | 'at'>
  : never;

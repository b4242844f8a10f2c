import type { ServiceTier } from '../services/domain/catalog-events';

/**
 * The policy document: every rule the ledger enforces that an organisation may tune. It is
 * read from YAML (policy-file/), and what a decision used is recorded with the document's
 * version. docs/policy.md walks through the default, config/policy.yaml, line by line.
 */
export interface Policy {
  readonly name: string;
  /** The zone maintenance windows and business days are read in, unless a window names its own. */
  readonly timeZone: string;
  readonly services: ServicesPolicy;
  readonly risk: RiskPolicy;
  readonly routes: RoutesPolicy;
  /** Which route a normal change takes: the first rule whose condition holds. */
  readonly routing: readonly RoutingRule[];
  /** Standard and pre-approved changes exist only as these. */
  readonly templates: readonly ChangeTemplate[];
  readonly windows: readonly MaintenanceWindow[];
  readonly blackouts: readonly Blackout[];
  readonly scheduling: SchedulingPolicy;
  readonly conflicts: ConflictPolicy;
  readonly gates: GatePolicy;
}

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ServicesPolicy {
  /** A service the catalog does not know is treated as this tier: unknown is not safe. */
  readonly unregisteredTier: ServiceTier;
}

/** A number per catalog tier. */
export interface TierWeights {
  readonly tier1: number;
  readonly tier2: number;
  readonly tier3: number;
  readonly tier4: number;
}

/** Adds `add` once the measured size exceeds `above`; the highest step reached counts. */
export interface SizeStep {
  readonly above: number;
  readonly add: number;
}

/** An extra contribution when a CEL condition holds. */
export interface RiskRule {
  readonly id: string;
  readonly when: string;
  readonly add: number;
  readonly reason: string;
}

export interface RiskWeights {
  /** By the most critical tier among the changed services. */
  readonly serviceTier: TierWeights;
  /** Per service downstream of the changed ones (any depth), by its tier, up to `max`. */
  readonly downstream: { readonly perService: TierWeights; readonly max: number };
  /** The changed services' change failure rate over a look-back period, times `weight`. */
  readonly changeFailureRate: {
    readonly lookBackDays: number;
    /** Fewer deployments than this are not a history to judge by: no contribution. */
    readonly minimumDeployments: number;
    readonly weight: number;
    readonly max: number;
  };
  readonly databaseMigration: number;
  readonly emergency: number;
  readonly filesChanged: readonly SizeStep[];
  readonly linesChanged: readonly SizeStep[];
}

export interface RiskPolicy {
  /** The score from which each level starts; below `medium` is low. */
  readonly levels: { readonly medium: number; readonly high: number };
  readonly weights: RiskWeights;
  /** What the requester declared is a floor: it may raise the level, never lower it. */
  readonly declaredBlastRadius: { readonly [K in RiskLevel]: RiskLevel };
  readonly rules: readonly RiskRule[];
}

export interface ApprovalSla {
  readonly hours: number;
  /** Who hears of an approval that is overdue: a person, a team, a channel. */
  readonly escalateTo: string;
}

export interface PeerReviewRoute {
  readonly approvals: number;
  readonly approvalSla: ApprovalSla | null;
}

export interface CabRoute {
  readonly approvals: number;
  /** How many of the approvals must come from members of the change advisory board. */
  readonly cabApprovals: number;
  readonly approvalSla: ApprovalSla | null;
}

export interface EmergencyRoute {
  /** Approvals that approve an emergency change if anyone approves it after the fact. */
  readonly approvals: number;
  /** The post-implementation review is due this long after the deployment started. */
  readonly reviewWithinHours: number;
  /** A change ticket must be on record this long after the deployment started. */
  readonly ticketWithinHours: number;
  /** A post-mortem review is due this long after the deployment started. */
  readonly postMortemWithinHours: number;
}

export interface RoutesPolicy {
  readonly 'peer-review': PeerReviewRoute;
  readonly cab: CabRoute;
  readonly emergency: EmergencyRoute;
}

/** A normal change goes to peer review or the CAB; `when` absent matches every change. */
export interface RoutingRule {
  readonly when?: string;
  readonly route: 'peer-review' | 'cab';
}

export const TEMPLATE_TYPES = ['standard', 'preapproved'] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

export interface TemplateRollbackPlan {
  readonly trigger: string;
  readonly steps: readonly string[];
  readonly expectedMinutes: number;
}

/** A curated, repeatable change: requests that fit it are approved by the policy. */
export interface ChangeTemplate {
  readonly id: string;
  readonly title: string;
  readonly types: readonly TemplateType[];
  readonly categories: readonly string[];
  readonly environments: readonly string[];
  /** Services it may touch by name; absent: any service of an allowed tier. */
  readonly services?: readonly string[];
  /** Tiers it may touch; absent: any tier of an allowed service. */
  readonly tiers?: readonly ServiceTier[];
  readonly databaseMigration: boolean;
  readonly steps: readonly string[];
  readonly rollbackPlan: TemplateRollbackPlan;
  /** Above this assessed risk the change is not the routine one the template describes. */
  readonly maxRisk: RiskLevel;
}

/** When normal changes may be scheduled and deployed, weekly, in local time. */
export interface MaintenanceWindow {
  readonly id: string;
  readonly environments: readonly string[];
  readonly tiers: readonly ServiceTier[];
  readonly days: readonly Weekday[];
  /** "HH:MM" local time; a `to` at or before `from` ends on the next day. */
  readonly from: string;
  readonly to: string;
  readonly timeZone?: string;
}

/** A period in which no normal or standard change deploys (e.g. peak trading). */
export interface Blackout {
  readonly id: string;
  readonly reason: string;
  readonly start: string;
  readonly end: string;
  /** Absent: every environment. */
  readonly environments?: readonly string[];
  /** Absent: every service. */
  readonly services?: readonly string[];
}

export interface SchedulingPolicy {
  readonly businessDays: readonly Weekday[];
  /** Business days between the request and the window's start, for normal changes. */
  readonly minimumNotice: {
    readonly businessDays: number;
    /** Environments it applies to; absent: every environment. */
    readonly environments?: readonly string[];
  };
  /** No window, planned or scheduled, may be longer. */
  readonly maxWindowHours: number;
  /** How late a deploy may be reported after its window closed and still count as inside it. */
  readonly reportingDelayMinutes: number;
}

export const CONFLICT_ACTIONS = ['warn', 'refuse'] as const;
export type ConflictAction = (typeof CONFLICT_ACTIONS)[number];

export interface ConflictPolicy {
  /** Another change's window overlaps on the same service. */
  readonly sameService: ConflictAction;
  /** Another change's window overlaps on a service the change depends on. */
  readonly dependency: ConflictAction;
}

export interface GatePolicy {
  /** The highest error rate (a ratio: 0.001 is 0.1 %) a stage may observe; null: not gated. */
  readonly errorRateBelow: number | null;
  /** How far p99 latency may rise over its baseline, in percent; null: not gated. */
  readonly p99LatencyIncreaseAtMostPercent: number | null;
  /** How long a stage must have run before its metrics may promote it. */
  readonly holdMinutes: number;
  /** What a stage that reports no metrics gets. */
  readonly withoutMetrics: 'promote' | 'halt';
}

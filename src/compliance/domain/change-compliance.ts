import type { Artifact, ChangeType } from '../../changes/domain/change-request';
import type { TimeWindow } from '../../changes/domain/change-window';
import type { ChangeEvent } from '../../changes/domain/events';
import { hasText } from '../../kernel/required-text';
import type { UnplannedDeploymentDetectedData } from '../../deployments/domain/service-events';
import type { ApprovalRoute } from '../../policy/routing/approval-route';

export interface RecordedApproval {
  readonly approver: string;
  readonly at: string;
  readonly countsAsCab: boolean;
}

/**
 * An attempt to get around a rule: a command the decider refused and kept (CommandRefused),
 * or a reported deploy of this change that ingest flagged (UnplannedDeploymentDetected).
 */
export interface RefusedAttempt {
  /** The refusal code (`self-approval`, `not-approved`, …) or the ingest reason. */
  readonly code: string;
  /** The refused command, or `deploy` for a deploy reported by a CI/CD system. */
  readonly command: string;
  readonly actor: string;
  readonly at: string;
  readonly detail: string;
}

/** Which of the fields an audit expects the requester wrote down. */
export interface ProvidedFields {
  readonly justification: boolean;
  readonly rollbackPlan: boolean;
  readonly testPlan: boolean;
}

/**
 * What an auditor needs to know about one change, folded from its stream (and from the
 * deploys of it that ingest flagged on service streams). Every instant is UTC ISO-8601.
 */
export interface ChangeCompliance {
  readonly changeId: string;
  readonly title: string;
  readonly type: ChangeType;
  readonly category: string;
  readonly environment: string;
  readonly services: readonly string[];
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly provided: ProvidedFields;
  readonly rollbackExpectedMinutes: number | null;
  readonly plannedWindow: TimeWindow | null;
  readonly scheduledWindow: TimeWindow | null;
  readonly riskLevel: string | null;
  readonly riskScore: number | null;
  readonly route: ApprovalRoute | null;
  readonly requiredApprovals: number | null;
  readonly requiredCabApprovals: number;
  readonly policyVersion: string | null;
  /** The template a standard or pre-approved change followed. */
  readonly templateId: string | null;
  /** The route's approval SLA in hours, and when the approvals (still missing) were due. */
  readonly approvalSlaHours: number | null;
  readonly approvalDueBy: string | null;
  /** When the ledger recorded that the approvals were overdue. */
  readonly approvalOverdueAt: string | null;
  readonly approvals: readonly RecordedApproval[];
  readonly approvedAt: string | null;
  readonly approvedAutomatically: boolean;
  /** What the last approval bound; a deploy of something else is a finding. */
  readonly approvedArtifact: Artifact | null;
  /** What was deployed, as the deploy reported it (start, then completion). */
  readonly deployedArtifact: Artifact | null;
  readonly deployStartedAt: string | null;
  readonly startedOutsideWindow: boolean;
  /** Freezes and blackouts an emergency deployment started in. */
  readonly startedIn: readonly string[];
  readonly reviewDueBy: string | null;
  readonly ticketDueBy: string | null;
  readonly postMortemDueBy: string | null;
  /** When a change ticket was first on record (requested with one, or amended to add one). */
  readonly ticketAt: string | null;
  readonly firstPostMortemAt: string | null;
  /** The stage whose gates halted the rollout, and when. */
  readonly haltedAt: string | null;
  /** Latest DeploymentStarted, RolloutStageCompleted or ChangeDeployed: a rollback's clock. */
  readonly lastDeploymentStepAt: string | null;
  readonly deployedAt: string | null;
  readonly rolledBackAt: string | null;
  /** From lastDeploymentStepAt to the rollback, in minutes. */
  readonly rollbackMinutes: number | null;
  readonly closedAt: string | null;
  /** The closing outcome, or `rejected` / `cancelled` for a change that ended before deploying. */
  readonly outcome: string | null;
  readonly firstReviewAt: string | null;
  readonly attempts: readonly RefusedAttempt[];
}

const MINUTE_MS = 60_000;

/** One spelling per instant, so records compare and sort as text; unreadable ones are kept. */
export function utc(at: string): string {
  const millis = Date.parse(at);
  return Number.isNaN(millis) ? at : new Date(millis).toISOString();
}

function utcWindow({ start, end }: TimeWindow): TimeWindow {
  return { start: utc(start), end: utc(end) };
}

export function minutesBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / MINUTE_MS;
}

function requested(data: ChangeEvent<'ChangeRequested'>['data']): ChangeCompliance {
  const { request } = data;
  const at = utc(data.at);
  return {
    changeId: data.changeId,
    title: request.title,
    type: request.type,
    category: request.category,
    environment: request.environment,
    services: [...request.services],
    requestedBy: data.requestedBy,
    requestedAt: at,
    provided: {
      justification: hasText(request.justification),
      rollbackPlan: request.rollbackPlan !== undefined,
      testPlan: hasText(request.testPlan),
    },
    rollbackExpectedMinutes: request.rollbackPlan?.expectedMinutes ?? null,
    plannedWindow: request.plannedWindow === undefined ? null : utcWindow(request.plannedWindow),
    scheduledWindow: null,
    riskLevel: null,
    riskScore: null,
    route: null,
    requiredApprovals: null,
    requiredCabApprovals: 0,
    policyVersion: null,
    templateId: request.templateId ?? null,
    approvalSlaHours: null,
    approvalDueBy: null,
    approvalOverdueAt: null,
    approvals: [],
    approvedAt: null,
    approvedAutomatically: false,
    approvedArtifact: null,
    deployedArtifact: null,
    deployStartedAt: null,
    startedOutsideWindow: false,
    startedIn: [],
    reviewDueBy: null,
    ticketDueBy: null,
    postMortemDueBy: null,
    ticketAt: hasText(request.externalRefs?.ticket) ? at : null,
    firstPostMortemAt: null,
    haltedAt: null,
    lastDeploymentStepAt: null,
    deployedAt: null,
    rolledBackAt: null,
    rollbackMinutes: null,
    closedAt: null,
    outcome: null,
    firstReviewAt: null,
    attempts: [],
  };
}

/**
 * Applies one event of the change's stream. Events before ChangeRequested (a truncated
 * stream) leave no record: there is nothing to attach them to.
 */
export function applyChangeEvent(
  record: ChangeCompliance | undefined,
  event: ChangeEvent,
): ChangeCompliance | undefined {
  if (event.type === 'ChangeRequested') return requested(event.data);
  if (record === undefined) return undefined;
  switch (event.type) {
    case 'RiskAssessed': {
      const { level, score, route, requiredApprovals, requiredCabApprovals, policyVersion } =
        event.data;
      return {
        ...record,
        riskLevel: level,
        riskScore: score,
        route,
        requiredApprovals,
        requiredCabApprovals,
        policyVersion,
        templateId: event.data.templateId ?? null,
        approvalSlaHours: event.data.approvalSla?.hours ?? null,
        approvalDueBy: optionalUtc(event.data.approvalDueBy),
      };
    }
    case 'ChangeAmended':
      return amended(record, event.data);
    case 'ApprovalsInvalidated':
      return {
        ...record,
        approvals: [],
        approvedAt: null,
        approvedAutomatically: false,
        approvedArtifact: null,
        approvalDueBy: optionalUtc(event.data.approvalDueBy),
        approvalOverdueAt: null,
      };
    case 'ApprovalOverdue':
      return { ...record, approvalOverdueAt: utc(event.data.at) };
    case 'ApprovalGranted': {
      const { approver, at, countsAsCab } = event.data;
      return {
        ...record,
        approvals: [...record.approvals, { approver, at: utc(at), countsAsCab }],
      };
    }
    case 'ChangeApproved':
      return {
        ...record,
        approvedAt: utc(event.data.at),
        approvedAutomatically: event.data.automatic,
        approvedArtifact: event.data.approvedArtifact ?? null,
      };
    case 'ChangeRejected':
      return { ...record, outcome: 'rejected' };
    case 'ChangeCancelled':
      return { ...record, outcome: 'cancelled' };
    case 'ChangeScheduled':
      return { ...record, scheduledWindow: utcWindow(event.data.window) };
    case 'DeploymentStarted': {
      const { data } = event;
      const at = utc(data.at);
      return {
        ...record,
        deployStartedAt: at,
        lastDeploymentStepAt: at,
        startedOutsideWindow: data.outsideWindow,
        startedIn: data.restrictions ?? [],
        deployedArtifact: reported(record.deployedArtifact, data),
        reviewDueBy: optionalUtc(data.reviewDueBy),
        ticketDueBy: optionalUtc(data.ticketDueBy),
        postMortemDueBy: optionalUtc(data.postMortemDueBy),
      };
    }
    case 'RolloutStageCompleted': {
      const at = utc(event.data.at);
      const halted = event.data.verdict === 'halt' && record.haltedAt === null;
      return { ...record, lastDeploymentStepAt: at, haltedAt: halted ? at : record.haltedAt };
    }
    case 'ChangeDeployed': {
      const at = utc(event.data.at);
      return {
        ...record,
        deployedAt: at,
        lastDeploymentStepAt: at,
        deployedArtifact: reported(record.deployedArtifact, event.data),
      };
    }
    case 'ChangeRolledBack': {
      const at = utc(event.data.at);
      const since = record.lastDeploymentStepAt;
      return {
        ...record,
        rolledBackAt: at,
        rollbackMinutes: since === null ? null : minutesBetween(since, at),
      };
    }
    case 'ChangeClosed':
      return { ...record, closedAt: utc(event.data.at), outcome: event.data.outcome };
    case 'ReviewRecorded': {
      const at = utc(event.data.at);
      return event.data.kind === 'post-mortem'
        ? { ...record, firstPostMortemAt: record.firstPostMortemAt ?? at }
        : { ...record, firstReviewAt: record.firstReviewAt ?? at };
    }
    case 'CommandRefused': {
      const { code, command, actor, at, reason } = event.data;
      return attempted(record, { code, command, actor, at: utc(at), detail: reason });
    }
    case 'ChangeDeferred':
    case 'ChangeVerified':
      return record;
  }
}

/** A deploy of this change that ingest recorded as one no approved change accounts for. */
export function applyUnplannedDeployment(
  record: ChangeCompliance,
  data: UnplannedDeploymentDetectedData,
  actor: string,
): ChangeCompliance {
  return attempted(record, unplannedAttempt(data, actor));
}

/** A flagged deploy, in the same terms as a refused command. */
export function unplannedAttempt(
  data: UnplannedDeploymentDetectedData,
  actor: string,
): RefusedAttempt {
  const what = [data.service, data.environment, data.version].filter(Boolean).join(' ');
  return {
    code: data.reason,
    command: 'deploy',
    actor,
    at: utc(data.at),
    detail: `${what}: ${data.detail}`,
  };
}

/** The record after the request was edited: what it says and what it now provides. */
function amended(
  record: ChangeCompliance,
  { amendment: a, at }: ChangeEvent<'ChangeAmended'>['data'],
): ChangeCompliance {
  const { provided } = record;
  return {
    ...record,
    title: a.title ?? record.title,
    category: a.category ?? record.category,
    environment: a.environment ?? record.environment,
    services: a.services === undefined ? record.services : [...a.services],
    provided: {
      justification:
        a.justification === undefined ? provided.justification : hasText(a.justification),
      rollbackPlan: provided.rollbackPlan || a.rollbackPlan !== undefined,
      testPlan: a.testPlan === undefined ? provided.testPlan : hasText(a.testPlan),
    },
    rollbackExpectedMinutes: a.rollbackPlan?.expectedMinutes ?? record.rollbackExpectedMinutes,
    plannedWindow:
      a.plannedWindow === undefined ? record.plannedWindow : utcWindow(a.plannedWindow),
    ticketAt: record.ticketAt ?? (hasText(a.externalRefs?.ticket) ? utc(at) : null),
  };
}

function optionalUtc(at: string | undefined): string | null {
  return at === undefined ? null : utc(at);
}

/** The artifact a deploy reports, each part kept from an earlier report when this one lacks it. */
function reported(earlier: Artifact | null, deploy: Artifact): Artifact | null {
  const version = deploy.version ?? earlier?.version;
  const commit = deploy.commit ?? earlier?.commit;
  return version === undefined && commit === undefined ? null : { version, commit };
}

function attempted(record: ChangeCompliance, attempt: RefusedAttempt): ChangeCompliance {
  return { ...record, attempts: [...record.attempts, attempt] };
}

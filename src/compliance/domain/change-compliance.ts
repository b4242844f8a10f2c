import type { ChangeType } from '../../changes/domain/change-request';
import type { TimeWindow } from '../../changes/domain/change-window';
import type { ChangeEvent } from '../../changes/domain/events';
import { hasText } from '../../changes/domain/required-text';
import type { UnplannedDeploymentDetectedData } from '../../deployments/domain/service-events';
import type { ApprovalRoute } from '../../policy/approval-route';

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
  readonly route: ApprovalRoute | null;
  readonly requiredApprovals: number | null;
  readonly requiresCab: boolean;
  readonly policyVersion: string | null;
  readonly approvals: readonly RecordedApproval[];
  readonly approvedAt: string | null;
  readonly approvedAutomatically: boolean;
  readonly deployStartedAt: string | null;
  readonly startedOutsideWindow: boolean;
  readonly reviewDueBy: string | null;
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
  return {
    changeId: data.changeId,
    title: request.title,
    type: request.type,
    category: request.category,
    environment: request.environment,
    services: [...request.services],
    requestedBy: data.requestedBy,
    requestedAt: utc(data.at),
    provided: {
      justification: hasText(request.justification),
      rollbackPlan: request.rollbackPlan !== undefined,
      testPlan: hasText(request.testPlan),
    },
    rollbackExpectedMinutes: request.rollbackPlan?.expectedMinutes ?? null,
    plannedWindow: request.plannedWindow === undefined ? null : utcWindow(request.plannedWindow),
    scheduledWindow: null,
    riskLevel: null,
    route: null,
    requiredApprovals: null,
    requiresCab: false,
    policyVersion: null,
    approvals: [],
    approvedAt: null,
    approvedAutomatically: false,
    deployStartedAt: null,
    startedOutsideWindow: false,
    reviewDueBy: null,
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
      const { level, route, requiredApprovals, requiresCab, policyVersion } = event.data;
      return { ...record, riskLevel: level, route, requiredApprovals, requiresCab, policyVersion };
    }
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
      };
    case 'ChangeRejected':
      return { ...record, outcome: 'rejected' };
    case 'ChangeCancelled':
      return { ...record, outcome: 'cancelled' };
    case 'ChangeScheduled':
      return { ...record, scheduledWindow: utcWindow(event.data.window) };
    case 'DeploymentStarted': {
      const at = utc(event.data.at);
      return {
        ...record,
        deployStartedAt: at,
        lastDeploymentStepAt: at,
        startedOutsideWindow: event.data.outsideWindow,
        reviewDueBy: event.data.reviewDueBy === undefined ? null : utc(event.data.reviewDueBy),
      };
    }
    case 'RolloutStageCompleted':
      return { ...record, lastDeploymentStepAt: utc(event.data.at) };
    case 'ChangeDeployed': {
      const at = utc(event.data.at);
      return { ...record, deployedAt: at, lastDeploymentStepAt: at };
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
    case 'ReviewRecorded':
      return { ...record, firstReviewAt: record.firstReviewAt ?? utc(event.data.at) };
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

function attempted(record: ChangeCompliance, attempt: RefusedAttempt): ChangeCompliance {
  return { ...record, attempts: [...record.attempts, attempt] };
}

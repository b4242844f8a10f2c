import type { Artifact } from '../../changes/domain/change-request';
import type { CommandRefusedData } from '../../changes/domain/events';
import type { UnplannedDeploymentDetectedData } from '../../deployments/domain/service-events';
import {
  unplannedAttempt,
  utc,
  type ChangeCompliance,
  type RefusedAttempt,
} from './change-compliance';

/**
 * Every rule a finding can come from. The ids are a published contract (exports, filters,
 * docs/read-models.md, Compliance): never rename one, add a new id instead.
 */
export const FINDING_RULES = {
  'self-approval-attempt': 'The requester tried to approve, reject or defer their own change',
  'self-review-attempt': 'The requester tried to record the review of their own change',
  'deploy-without-approved-change': 'Deployed with no approved change behind the deploy',
  'deploy-before-approval': 'Deploying a change that was not approved yet was attempted',
  'deploy-outside-window': 'Deploying outside the change window was attempted or done',
  'emergency-review-overdue': 'No post-implementation review recorded within 24 h of deploying',
  'missing-rollback-plan': 'Requested without a rollback plan',
  'rollback-failed': 'Closed as failed after a rollback',
  'rollback-slower-than-plan': 'The rollback took longer than its plan said',
  'template-bypass-attempt':
    'A standard or pre-approved change was requested outside the templates of the policy',
  'deploy-in-freeze': 'Deploying inside a freeze or blackout was attempted or done',
  'deploy-after-halt-attempt': 'Going on with a rollout its gates halted was attempted',
  'deployed-artifact-not-approved': 'Deployed a version or commit other than the one approved',
  'emergency-ticket-overdue':
    'No change ticket on record within the policy’s hours of an emergency',
  'emergency-postmortem-overdue':
    'No post-mortem recorded within the policy’s hours of an emergency',
} as const;

export type FindingRule = keyof typeof FINDING_RULES;
export const FINDING_RULE_IDS = Object.keys(FINDING_RULES) as readonly FindingRule[];

export interface Finding {
  /** Stable: the same fact yields the same id on every rebuild. */
  readonly id: string;
  readonly rule: FindingRule;
  /** When it became a finding; queries "as of" a time see only findings at or before it. */
  readonly at: string;
  readonly changeId: string | null;
  readonly services: readonly string[];
  readonly detail: string;
}

/** Commands that plan a window rather than deploy: refused, they deployed nothing. */
const PLANNING = new Set(['RequestChange', 'AmendChange', 'ScheduleChange']);

/**
 * The rule a refused attempt (CommandRefused code, and the command refused) or a flagged
 * deploy (ingest reason) breaks; null for codes no rule is about. A window refused at planning
 * (outside the maintenance windows, in a freeze) is kept on the record but is no deploy.
 */
export function ruleForAttempt(code: string, command = 'deploy'): FindingRule | null {
  if (PLANNING.has(command) && ['outside-window', 'in-freeze', 'in-blackout'].includes(code)) {
    return null;
  }
  switch (code) {
    case 'self-approval':
      return 'self-approval-attempt';
    case 'self-review':
      return 'self-review-attempt';
    case 'not-approved':
      return 'deploy-before-approval';
    case 'outside-window':
      return 'deploy-outside-window';
    case 'template-required':
    case 'template-unknown':
    case 'outside-template':
    case 'template-risk-exceeded':
      return 'template-bypass-attempt';
    case 'in-freeze':
    case 'in-blackout':
      return 'deploy-in-freeze';
    case 'rollout-halted':
      return 'deploy-after-halt-attempt';
    case 'no-matching-change':
    case 'unknown-change':
      return 'deploy-without-approved-change';
    default:
      // `change-rejected`, `change-cancelled`: ingest saw a deploy of a change nobody approved.
      return code.startsWith('change-') ? 'deploy-without-approved-change' : null;
  }
}

/**
 * Every finding about one change, from what its record holds so far. A deploy reported by
 * ingest and refused by the decider is one attempt recorded twice (a CommandRefused on the
 * change's stream and an UnplannedDeploymentDetected on the service's, at the same instant):
 * ids are rule + change + instant, so it is one finding.
 */
export function changeFindings(record: ChangeCompliance): Finding[] {
  const findings = new Map<string, Finding>();
  // Worded without saying whether it came later, so the text is the same whatever time the
  // finding is looked at from.
  const overdue = (
    dueBy: string | null,
    doneAt: string | null,
    rule: FindingRule,
    what: string,
  ) => {
    if (dueBy !== null && (doneAt === null || doneAt > dueBy)) {
      add(rule, dueBy, `no ${what} was recorded by ${dueBy}`);
    }
  };
  const add = (rule: FindingRule, at: string, detail: string) => {
    const id = `${rule}:${record.changeId}:${at}`;
    if (!findings.has(id)) {
      findings.set(id, {
        id,
        rule,
        at,
        changeId: record.changeId,
        services: record.services,
        detail,
      });
    }
  };

  for (const attempt of record.attempts) {
    const rule = ruleForAttempt(attempt.code, attempt.command);
    if (rule !== null) add(rule, attempt.at, describe(attempt));
  }
  if (record.startedOutsideWindow && record.deployStartedAt !== null) {
    add(
      'deploy-outside-window',
      record.deployStartedAt,
      'emergency deployment started outside its window',
    );
  }
  if (record.startedIn.length > 0 && record.deployStartedAt !== null) {
    add(
      'deploy-in-freeze',
      record.deployStartedAt,
      `emergency deployment started in ${record.startedIn.join(', ')}`,
    );
  }
  const mismatch = artifactMismatch(record.approvedArtifact, record.deployedArtifact);
  if (mismatch !== null && record.deployStartedAt !== null) {
    add('deployed-artifact-not-approved', record.deployStartedAt, mismatch);
  }
  if (!record.provided.rollbackPlan) {
    add('missing-rollback-plan', record.requestedAt, 'requested without a rollback plan');
  }
  overdue(record.reviewDueBy, record.firstReviewAt, 'emergency-review-overdue', 'review');
  overdue(record.ticketDueBy, record.ticketAt, 'emergency-ticket-overdue', 'change ticket');
  overdue(
    record.postMortemDueBy,
    record.firstPostMortemAt,
    'emergency-postmortem-overdue',
    'post-mortem',
  );
  if (record.rolledBackAt !== null && record.closedAt !== null && record.outcome === 'failed') {
    add(
      'rollback-failed',
      record.closedAt,
      `rolled back at ${record.rolledBackAt}, then closed as failed`,
    );
  }
  const planned = record.rollbackExpectedMinutes;
  const took = record.rollbackMinutes;
  if (record.rolledBackAt !== null && planned !== null && took !== null && took > planned) {
    add(
      'rollback-slower-than-plan',
      record.rolledBackAt,
      `rolled back ${round(took)} min after the last deployment step; the plan said ${planned} min`,
    );
  }
  return [...findings.values()];
}

/** A flagged deploy that no recorded change can be held to (none named, or an unknown one). */
export function unplannedDeploymentFinding(
  eventId: string,
  data: UnplannedDeploymentDetectedData,
  actor: string,
): Finding | null {
  const attempt = unplannedAttempt(data, actor);
  const rule = ruleForAttempt(attempt.code);
  if (rule === null) return null;
  return {
    id: `${rule}:${eventId}`,
    rule,
    at: attempt.at,
    changeId: data.changeId,
    services: [data.service],
    detail: describe(attempt),
  };
}

/**
 * A request the policy refused (a standard change outside its templates, say) leaves no change
 * record, only its refusal on the stream it would have had.
 */
export function refusedRequestFinding(changeId: string, data: CommandRefusedData): Finding | null {
  const rule = ruleForAttempt(data.code, data.command);
  if (rule === null) return null;
  const at = utc(data.at);
  return {
    id: `${rule}:${changeId}:${at}`,
    rule,
    at,
    changeId,
    services: [...(data.request?.services ?? [])],
    detail: describe({
      code: data.code,
      command: data.command,
      actor: data.actor,
      at,
      detail: data.reason,
    }),
  };
}

/** What differs between the approved artifact and the deployed one; null when nothing does. */
function artifactMismatch(approved: Artifact | null, deployed: Artifact | null): string | null {
  if (approved === null || deployed === null) return null;
  const differs = (['version', 'commit'] as const).filter((part) => {
    const want = approved[part];
    const got = deployed[part];
    if (want === undefined || got === undefined) return false;
    // Commits are compared as prefixes: one side may be abbreviated.
    return part === 'commit' ? !(want.startsWith(got) || got.startsWith(want)) : want !== got;
  });
  if (differs.length === 0) return null;
  return differs
    .map((part) => `${part} ${deployed[part]} deployed, ${approved[part]} approved`)
    .join('; ');
}

function describe(attempt: RefusedAttempt): string {
  return `${attempt.command} by ${attempt.actor}: ${attempt.detail}`;
}

function round(minutes: number): number {
  return Math.round(minutes * 100) / 100;
}

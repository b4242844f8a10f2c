import {
  describeWindow,
  applicableWindows,
  occurrenceHolding,
} from '../../policy/windows/maintenance-windows';
import {
  blackoutPeriods,
  describePeriod,
  restrictionsOverlapping,
} from '../../policy/windows/restricted-periods';
import { emergencyObligations } from '../../policy/routing/emergency-obligations';
import { instantSpan, spanOf } from '../../policy/windows/span';
import { assessmentOf } from './change-state';
import type { ExistingChange } from './change-state';
import type { MarkDeployed, StartDeployment } from './commands';
import { DomainError, type DomainErrorCode } from '../../kernel/domain-error';
import { refusalMessage } from './transitions';

const MINUTE_MS = 60_000;

/** What the gate found, recorded on DeploymentStarted. */
export interface DeploymentClearance {
  readonly outsideWindow: boolean;
  readonly restrictions?: readonly string[];
  readonly maintenanceWindow?: string;
  readonly flaggedForReview: boolean;
  readonly reviewDueBy?: string;
  readonly ticketDueBy?: string;
  readonly postMortemDueBy?: string;
  readonly policyVersion: string;
}

/**
 * May the change start deploying now? A normal change only once approved, inside its own
 * window (scheduled, else planned), inside a maintenance window of the policy, and in no freeze
 * or blackout; a standard one in no freeze or blackout and inside its own window. An emergency
 * at once unless an approver deferred it, flagged for review with everything it broke recorded.
 *
 * Both times count: the reported time (`at`) and the time the ledger received the report, which
 * may trail a window's end by the policy's reporting delay. A deploy back-dated into a window
 * that has closed, or dated ahead into one not yet open, is outside it.
 */
export function clearForDeployment(
  change: ExistingChange,
  command: StartDeployment | MarkDeployed,
): DeploymentClearance {
  const { kind, policy, at, receivedAt } = command;
  const refuse = (code: DomainErrorCode, why: string) =>
    new DomainError(code, refusalMessage(kind, change.status, why));
  const assessment = assessmentOf(change);
  const emergency = assessment.route === 'emergency';
  if (change.status === 'deferred') throw refuse('not-approved', 'an approver deferred it');
  if (change.status === 'awaiting-approval' && !emergency) {
    throw refuse('not-approved', 'it has not been approved');
  }

  const document = policy.document;
  const reported = Date.parse(at);
  const received = Date.parse(receivedAt);
  const delay = document.scheduling.reportingDelayMinutes * MINUTE_MS;
  const inside = (span: { start: number; end: number }) =>
    span.start <= reported &&
    reported < span.end &&
    span.start <= received &&
    received < span.end + delay;

  const problems: Array<{ code: DomainErrorCode; why: string }> = [];
  const window = change.window ?? change.request.plannedWindow;
  if (window !== undefined && !inside(spanOf(window))) {
    problems.push({
      code: 'outside-window',
      why: `${timesOf(at, receivedAt)} outside its window ${window.start} – ${window.end}`,
    });
  }
  let maintenanceWindow: string | undefined;
  // A template's change is pre-authorised at any hour; an emergency is flagged when outside.
  if (assessment.route !== 'automatic') {
    const windows = applicableWindows(
      document,
      change.request.environment,
      assessment.mostCriticalTier,
    );
    const occurrence = occurrenceHolding(document, windows, instantSpan(reported));
    maintenanceWindow = occurrence?.windowId;
    if (windows.length > 0 && (occurrence === null || !inside(occurrence))) {
      problems.push({
        code: 'outside-window',
        why:
          `${timesOf(at, receivedAt)} outside the maintenance windows: ` +
          windows.map((w) => describeWindow(document, w)).join(' or '),
      });
    }
  }
  const restricted = [reported, received].flatMap((instant) =>
    restrictionsOverlapping(
      [...blackoutPeriods(document), ...command.freezes],
      instantSpan(instant),
      change.request.environment,
      change.request.services,
    ),
  );
  const restrictions = [...new Map(restricted.map((r) => [r.id, r])).values()];
  for (const period of restrictions) {
    problems.push({
      code: period.kind === 'freeze' ? 'in-freeze' : 'in-blackout',
      why: `${timesOf(at, receivedAt)} inside ${describePeriod(period)}`,
    });
  }

  if (!emergency) {
    const [first] = problems;
    if (first !== undefined) throw refuse(first.code, first.why);
    return {
      outsideWindow: false,
      maintenanceWindow,
      flaggedForReview: false,
      policyVersion: policy.version,
    };
  }
  return {
    outsideWindow: problems.some((p) => p.code === 'outside-window'),
    ...(restrictions.length > 0 ? { restrictions: restrictions.map((r) => r.id) } : {}),
    maintenanceWindow,
    flaggedForReview: true,
    // From the earlier of the two times, so a report dated ahead cannot push the deadlines out.
    ...emergencyObligations(document.routes.emergency, Math.min(reported, received)),
    policyVersion: policy.version,
  };
}

function timesOf(at: string, receivedAt: string): string {
  return at === receivedAt ? `${at} is` : `${at} (received ${receivedAt}) is`;
}

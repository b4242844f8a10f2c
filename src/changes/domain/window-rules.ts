import {
  windowConflicts,
  type Conflict,
  type OverlappingChange,
} from '../../policy/conflicts/change-conflicts';
import type { PolicyInForce } from '../../policy/policy-in-force';
import type { ApprovalRoute } from '../../policy/routing/approval-route';
import type { ServiceTier } from '../../services/domain/catalog-events';
import {
  applicableWindows,
  describeWindow,
  occurrenceHolding,
} from '../../policy/windows/maintenance-windows';
import { earliestStartAfterNotice, noticeApplies } from '../../policy/windows/minimum-notice';
import {
  blackoutPeriods,
  restrictionsOverlapping,
  type RestrictedPeriod,
} from '../../policy/windows/restricted-periods';
import { spanOf } from '../../policy/windows/span';
import type { TimeWindow } from './change-window';
import { DomainError, type DomainErrorCode } from '../../kernel/domain-error';

const HOUR_MS = 3_600_000;

/** What a window is checked against: the change as the policy sees it, and the calendar. */
export interface WindowQuestion {
  readonly policy: PolicyInForce;
  readonly route: ApprovalRoute;
  readonly environment: string;
  readonly services: readonly string[];
  readonly tier: ServiceTier;
  readonly requestedAt: string;
  readonly window: TimeWindow;
  readonly freezes: readonly RestrictedPeriod[];
  readonly overlapping: readonly OverlappingChange[];
}

export interface WindowClearance {
  /** The maintenance window it lies in, when one governs the change. */
  readonly maintenanceWindow?: string;
  /** What the policy only warns of. */
  readonly conflicts: readonly Conflict[];
}

export type Refuse = (code: DomainErrorCode, why: string) => DomainError;

/**
 * May a change be planned or scheduled into this window? No window is longer than the policy
 * allows. A normal change's window lies inside one of the maintenance windows governing its
 * environment and tier, starts after the minimum notice, and meets no freeze or blackout; a
 * standard one meets no freeze or blackout either; an emergency is only warned. Overlaps with
 * other changes are refused or warned of as the policy says.
 */
export function clearWindow(question: WindowQuestion, refuse: Refuse): WindowClearance {
  const { policy, route, window } = question;
  const document = policy.document;
  const span = spanOf(window);
  const hours = (span.end - span.start) / HOUR_MS;
  if (hours > document.scheduling.maxWindowHours) {
    throw refuse(
      'window-too-long',
      `the window ${window.start} – ${window.end} is ${round(hours)} h long; ` +
        `the policy allows at most ${document.scheduling.maxWindowHours} h`,
    );
  }
  let maintenanceWindow: string | undefined;
  if (route === 'peer-review' || route === 'cab') {
    maintenanceWindow = maintenanceWindowHolding(question, refuse);
    assertNotice(question, refuse);
  }
  const restricted = restrictionsOverlapping(
    [...blackoutPeriods(document), ...question.freezes],
    span,
    question.environment,
    question.services,
  );
  const conflicts = windowConflicts(
    document,
    question.overlapping,
    restricted,
    route === 'emergency',
  );
  const refused = conflicts.find((conflict) => conflict.action === 'refuse');
  if (refused !== undefined) {
    const code =
      refused.kind === 'freeze'
        ? 'in-freeze'
        : refused.kind === 'blackout'
          ? 'in-blackout'
          : 'conflicting-change';
    throw refuse(code, `the window ${window.start} – ${window.end} meets ${refused.detail}`);
  }
  return { maintenanceWindow, conflicts };
}

function maintenanceWindowHolding(question: WindowQuestion, refuse: Refuse): string | undefined {
  const document = question.policy.document;
  const windows = applicableWindows(document, question.environment, question.tier);
  if (windows.length === 0) return undefined;
  const occurrence = occurrenceHolding(document, windows, spanOf(question.window));
  if (occurrence === null) {
    throw refuse(
      'outside-window',
      `the window ${question.window.start} – ${question.window.end} is not inside a maintenance ` +
        `window for ${question.environment} tier ${question.tier}: ` +
        windows.map((w) => describeWindow(document, w)).join(' or '),
    );
  }
  return occurrence.windowId;
}

function assertNotice(question: WindowQuestion, refuse: Refuse): void {
  const document = question.policy.document;
  if (!noticeApplies(document, question.environment)) return;
  const earliest = earliestStartAfterNotice(document, Date.parse(question.requestedAt));
  if (Date.parse(question.window.start) < earliest) {
    const days = document.scheduling.minimumNotice.businessDays;
    throw refuse(
      'insufficient-notice',
      `the window starts ${question.window.start}, before ${new Date(earliest).toISOString()}: ` +
        `normal ${question.environment} changes are requested ${days} business days ahead`,
    );
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

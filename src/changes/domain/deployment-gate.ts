import { emergencyReviewDueBy } from '../../policy/emergency-review';
import { assessmentOf } from './change-state';
import type { ExistingChange } from './change-state';
import { isWithin } from './change-window';
import { DomainError } from './domain-error';
import { refusalMessage } from './transitions';

/** What the gate found, recorded on DeploymentStarted. */
export interface DeploymentClearance {
  readonly outsideWindow: boolean;
  readonly flaggedForReview: boolean;
  readonly reviewDueBy?: string;
}

/**
 * May the change start deploying at `at`? A normal change only once approved and inside its
 * window (the scheduled one, else the planned one; none means any time). An emergency at once,
 * unless an approver deferred it, and then it is flagged for a review due within 24 h.
 * Expects a status ALLOWED_FROM permits for starting a deployment.
 */
export function clearForDeployment(
  change: ExistingChange,
  kind: 'StartDeployment' | 'MarkDeployed',
  at: string,
): DeploymentClearance {
  const emergency = assessmentOf(change).route === 'emergency';
  if (change.status === 'deferred') {
    throw new DomainError(
      'not-approved',
      refusalMessage(kind, change.status, 'an approver deferred it'),
    );
  }
  if (change.status === 'awaiting-approval' && !emergency) {
    throw new DomainError(
      'not-approved',
      refusalMessage(kind, change.status, 'it has not been approved'),
    );
  }

  const window = change.window ?? change.request.plannedWindow;
  if (emergency) {
    return {
      outsideWindow: window !== undefined && !isWithin(window, at),
      flaggedForReview: true,
      reviewDueBy: emergencyReviewDueBy(at),
    };
  }
  if (window !== undefined && !isWithin(window, at)) {
    throw new DomainError(
      'outside-window',
      refusalMessage(
        kind,
        change.status,
        `${at} is outside its window ${window.start} – ${window.end}`,
      ),
    );
  }
  return { outsideWindow: false, flaggedForReview: false };
}

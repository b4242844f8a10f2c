import type { ConflictAction, Policy } from '../policy';
import { describePeriod, type RestrictedPeriod } from '../windows/restricted-periods';

/** Another change whose window overlaps this one's on a service both touch or this one needs. */
export interface OverlappingChange {
  readonly changeId: string;
  readonly title: string;
  readonly status: string;
  readonly window: { readonly start: string; readonly end: string };
  /** same-service: it changes one of this change's services; dependency: one they depend on. */
  readonly relation: 'same-service' | 'dependency';
  /** The services the two meet on. */
  readonly services: readonly string[];
}

export interface Conflict {
  readonly kind: 'same-service' | 'dependency' | 'freeze' | 'blackout';
  /** The other change's id, or the freeze's or blackout's. */
  readonly with: string;
  readonly detail: string;
  /** What the policy does about it: refuse the command, or record a warning. */
  readonly action: ConflictAction;
}

/** The conflicts of a change's window, with what the policy does about each. */
export function windowConflicts(
  policy: Policy,
  overlapping: readonly OverlappingChange[],
  restricted: readonly RestrictedPeriod[],
  /** Emergencies may deploy in a freeze or blackout (flagged); other changes may not. */
  emergency: boolean,
): Conflict[] {
  const changes = overlapping.map((other) => ({
    kind: other.relation,
    with: other.changeId,
    detail:
      `change ${other.changeId} (${other.title}, ${other.status}) has window ` +
      `${other.window.start} – ${other.window.end} on ${other.services.join(', ')}`,
    action:
      other.relation === 'same-service'
        ? policy.conflicts.sameService
        : policy.conflicts.dependency,
  }));
  const periods = restricted.map((period) => ({
    kind: period.kind,
    with: period.id,
    detail: describePeriod(period),
    action: emergency ? ('warn' as const) : ('refuse' as const),
  }));
  return [...changes, ...periods];
}

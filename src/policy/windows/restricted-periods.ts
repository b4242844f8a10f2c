import type { Policy } from '../policy';
import { overlaps, spanOf, type Span } from './span';

/**
 * A span in which changes may not deploy: a blackout of the policy (peak trading) or a freeze
 * declared through the API. Without environments or services it covers every one.
 */
export interface RestrictedPeriod {
  readonly kind: 'blackout' | 'freeze';
  readonly id: string;
  readonly reason: string;
  readonly start: string;
  readonly end: string;
  readonly environments?: readonly string[];
  readonly services?: readonly string[];
}

/** The policy's blackouts, as restricted periods. */
export function blackoutPeriods(policy: Policy): RestrictedPeriod[] {
  return policy.blackouts.map((blackout) => ({ kind: 'blackout', ...blackout }));
}

/** The periods that overlap `span` and cover the environment and any of the services. */
export function restrictionsOverlapping(
  periods: readonly RestrictedPeriod[],
  span: Span,
  environment: string,
  services: readonly string[],
): RestrictedPeriod[] {
  return periods.filter(
    (period) =>
      overlaps(spanOf(period), span) &&
      (period.environments === undefined || period.environments.includes(environment)) &&
      (period.services === undefined || services.some((s) => period.services?.includes(s))),
  );
}

/** "freeze f-1 (payments migration, 2030-01-01T00:00:00Z – …)": named in refusals. */
export function describePeriod(period: RestrictedPeriod): string {
  return `${period.kind} ${period.id} (${period.reason}, ${period.start} – ${period.end})`;
}

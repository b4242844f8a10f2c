import { DateTime } from 'luxon';
import type { ServiceTier } from '../../services/domain/catalog-events';
import { WEEKDAYS, type MaintenanceWindow, type Policy } from '../policy';
import { contains, type Span } from './span';

/** One occurrence of a weekly maintenance window. */
export interface Occurrence extends Span {
  readonly windowId: string;
}

/** The maintenance windows that govern a change in this environment at this tier. */
export function applicableWindows(
  policy: Policy,
  environment: string,
  tier: ServiceTier,
): MaintenanceWindow[] {
  return policy.windows.filter(
    (w) => w.environments.includes(environment) && w.tiers.includes(tier),
  );
}

/**
 * The occurrence of one of the windows that holds the whole span, if any. A window that ends at
 * or before it starts (22:00–02:00) runs into the next day; times are local to its zone, so a
 * window keeps its wall-clock hours across daylight-saving changes.
 */
export function occurrenceHolding(
  policy: Policy,
  windows: readonly MaintenanceWindow[],
  span: Span,
): Occurrence | null {
  for (const window of windows) {
    const zone = window.timeZone ?? policy.timeZone;
    const day = DateTime.fromMillis(span.start, { zone }).startOf('day');
    // The occurrence holding the span's start began that day or, running overnight, the day before.
    for (const start of [day.minus({ days: 1 }), day]) {
      const occurrence = occurrenceOn(window, start);
      if (occurrence !== null && contains(occurrence, span)) return occurrence;
    }
  }
  return null;
}

function occurrenceOn(window: MaintenanceWindow, day: DateTime): Occurrence | null {
  if (!window.days.includes(WEEKDAYS[day.weekday - 1])) return null;
  const at = (time: string, base: DateTime) => {
    const [hour, minute] = time.split(':').map(Number);
    return base.set({ hour, minute, second: 0, millisecond: 0 });
  };
  const start = at(window.from, day);
  const end = at(window.to, window.to > window.from ? day : day.plus({ days: 1 }));
  return { windowId: window.id, start: start.toMillis(), end: end.toMillis() };
}

/** "production-critical (tue, thu 02:00–04:00 Europe/London)": named in refusals. */
export function describeWindow(policy: Policy, window: MaintenanceWindow): string {
  const zone = window.timeZone ?? policy.timeZone;
  return `${window.id} (${window.days.join(', ')} ${window.from}–${window.to} ${zone})`;
}

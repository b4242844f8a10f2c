import type { RestrictedPeriod } from '../../policy/windows/restricted-periods';
import type { FreezeDeclaredData, FreezeEvent } from './freeze-events';

export interface Freeze extends FreezeDeclaredData {
  /** Set when it was ended early: its end is then the time it was ended. */
  readonly endedAt?: string;
  readonly endedBy?: string;
}

/** Every freeze ever declared, by id. */
export type FreezeCalendar = ReadonlyMap<string, Freeze>;

export const emptyCalendar: FreezeCalendar = new Map();

/** Applies one recorded freeze event; events are facts, nothing is re-checked. */
export function evolveCalendar(calendar: FreezeCalendar, event: FreezeEvent): FreezeCalendar {
  if (event.type === 'FreezeDeclared')
    return new Map(calendar).set(event.data.freezeId, event.data);
  const freeze = calendar.get(event.data.freezeId);
  if (freeze === undefined) return calendar;
  const endedAt = event.data.at;
  return new Map(calendar).set(freeze.freezeId, {
    ...freeze,
    end: Date.parse(endedAt) < Date.parse(freeze.end) ? endedAt : freeze.end,
    endedAt,
    endedBy: event.data.endedBy,
  });
}

/** The freezes as the policy's window rules read them. */
export function restrictedPeriods(calendar: FreezeCalendar): RestrictedPeriod[] {
  return [...calendar.values()]
    .filter((freeze) => Date.parse(freeze.start) < Date.parse(freeze.end))
    .map(({ freezeId, reason, start, end, environments, services }) => ({
      kind: 'freeze',
      id: freezeId,
      reason,
      start,
      end,
      environments,
      services,
    }));
}

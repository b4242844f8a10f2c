import { DomainError } from './domain-error';

// The offset is mandatory: without one Date.parse reads local time, and a decision would then
// depend on the server's time zone.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch, or undefined unless `value` is an unambiguous ISO-8601 instant. */
export function toInstant(value: string): number | undefined {
  const match = ISO_INSTANT.exec(value);
  if (match === null) return undefined;
  const millis = Date.parse(value);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return Number.isNaN(millis) || !isCalendarDate(year, month, day) ? undefined : millis;
}

/** Like toInstant, but refuses (invalid-time) what it cannot read. */
export function requireInstant(value: string, what: string): number {
  const millis = toInstant(value);
  if (millis === undefined) {
    throw new DomainError(
      'invalid-time',
      `${what} must be an ISO-8601 date-time with an offset, got "${value}"`,
    );
  }
  return millis;
}

// Date.parse rolls impossible days over (Feb 30 becomes Mar 1) instead of refusing them.
// Year 0000 (1 BC in ISO 8601) is refused too: PostgreSQL has no year zero.
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year === 0) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

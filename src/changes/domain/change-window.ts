import { DomainError } from '../../kernel/domain-error';
import { toInstant } from '../../kernel/instant';

/** A span of time between two ISO-8601 instants; the start is inside it, the end is not. */
export interface TimeWindow {
  readonly start: string;
  readonly end: string;
}

/** Refuses (invalid-window) a window that cannot be read or that ends before it starts. */
export function assertValidWindow(window: TimeWindow, what: string): void {
  const start = toInstant(window.start);
  const end = toInstant(window.end);
  if (start === undefined || end === undefined) {
    throw new DomainError(
      'invalid-window',
      `${what} needs ISO-8601 date-times with an offset, got ${window.start} – ${window.end}`,
    );
  }
  if (end <= start) {
    throw new DomainError(
      'invalid-window',
      `${what} must end after it starts, got ${window.start} – ${window.end}`,
    );
  }
}

/** Whether the instant `at` falls inside a window; both were checked when they were recorded. */
export function isWithin(window: TimeWindow, at: string): boolean {
  const instant = Date.parse(at);
  return Date.parse(window.start) <= instant && instant < Date.parse(window.end);
}

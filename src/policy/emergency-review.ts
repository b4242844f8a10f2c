/** How long after an emergency deployment starts its post-implementation review is due. */
export const EMERGENCY_REVIEW_HOURS = 24;

const HOUR_MS = 3_600_000;

/** When the review of an emergency deployment started at `startedAt` (ISO-8601) is due. */
export function emergencyReviewDueBy(startedAt: string): string {
  return new Date(Date.parse(startedAt) + EMERGENCY_REVIEW_HOURS * HOUR_MS).toISOString();
}

export const BUCKETS = ['day', 'week'] as const;
export type Bucket = (typeof BUCKETS)[number];

const DAY = 86_400_000;

/** A half-open interval [start, end) of epoch milliseconds. */
export interface Period {
  readonly start: number;
  readonly end: number;
}

/** The UTC day, or the ISO week (Monday 00:00 UTC), that `time` falls in starts here. */
function bucketStart(time: number, bucket: Bucket): number {
  const day = Math.floor(time / DAY) * DAY;
  if (bucket === 'day') return day;
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return day - sinceMonday * DAY;
}

/**
 * [from, to) cut at UTC day or ISO week boundaries; the first and last buckets are clipped to
 * the range, so every figure counts only what happened inside it.
 */
export function periodsBetween(from: number, to: number, bucket: Bucket): Period[] {
  const size = bucket === 'day' ? DAY : 7 * DAY;
  const periods: Period[] = [];
  for (let start = bucketStart(from, bucket); start < to; start += size) {
    periods.push({ start: Math.max(start, from), end: Math.min(start + size, to) });
  }
  return periods;
}

/** Times as people read them: local, to the minute (seconds where they tell events apart). */
export function when(iso: string | null | undefined, seconds = false): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: seconds ? 'medium' : 'short',
  });
}

export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)} %`;
}

export function minutes(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value < 120 ? `${value.toFixed(0)} min` : `${(value / 60).toFixed(1)} h`;
}

/** A value for an <input type="datetime-local">, in local time. */
export function localInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function shortHash(hash: string): string {
  return `${hash.slice(0, 10)}…${hash.slice(-6)}`;
}

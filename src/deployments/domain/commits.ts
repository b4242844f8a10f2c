/**
 * How many leading hex digits name a commit when reporters disagree on length (a pipeline's
 * short SHA against a PR's full one): git's own default abbreviation.
 */
export const MIN_COMMIT_PREFIX = 7;

/** The commit's first MIN_COMMIT_PREFIX digits, lower-cased; null when it is shorter. */
export function commitPrefix(commit: string | null | undefined): string | null {
  return commit && commit.length >= MIN_COMMIT_PREFIX
    ? commit.slice(0, MIN_COMMIT_PREFIX).toLowerCase()
    : null;
}

/** Short and full SHAs name the same commit when one starts with the other. */
export function sameCommit(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return Math.min(x.length, y.length) >= MIN_COMMIT_PREFIX && (x.startsWith(y) || y.startsWith(x));
}

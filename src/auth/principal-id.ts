import { rectifyConfusion } from 'unicode-confusables';

/** Longest principal id kept: ids are stored with every event and in indexed read-model rows. */
export const MAX_PRINCIPAL_ID_LENGTH = 200;

/**
 * The one spelling of a principal id: Unicode NFKC, case-folded, surrounding white space
 * removed. `Alice`, `alice ` and `ａｌｉｃｅ` are one person for segregation of duties.
 * Full case folding is approximated by upper- then lower-casing (`ß` → `ss`), then NFKC again
 * because case mapping can leave text that is not normalized.
 */
export function normalizePrincipalId(raw: string): string {
  return raw.normalize('NFKC').trim().toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * The TR39 skeleton of an id (NFD, each character to its confusables.txt prototype, NFD):
 * two ids with the same skeleton look alike, e.g. a Latin `alice` and one with a Cyrillic `а`.
 */
export function principalSkeleton(id: string): string {
  return rectifyConfusion(normalizePrincipalId(id).normalize('NFD')).normalize('NFD');
}

/** Why `id` cannot name a principal, or null. */
export function principalIdProblem(id: string): string | null {
  if (id === '') return 'must not be empty';
  if (id.length > MAX_PRINCIPAL_ID_LENGTH) {
    return `must be at most ${MAX_PRINCIPAL_ID_LENGTH} characters`;
  }
  // Control characters (NUL included) and lone surrogates cannot be stored, nor shown safely.
  if (/[\p{Cc}\p{Cs}]/u.test(id)) return 'must not contain control characters';
  return null;
}

/** A principal id as configured, and where it was configured (for the start-up message). */
export interface NamedPrincipal {
  readonly id: string;
  readonly where: string;
}

/**
 * Refuses sets of principals that would let one person act as several: two spellings of the
 * same normalized id (`Alice` and `alice`), or two different ids that look alike. Entries with
 * exactly the same id are one principal (e.g. two keys of one bot) and pass.
 */
export function confusablePrincipals(principals: readonly NamedPrincipal[]): string[] {
  const problems: string[] = [];
  const bySkeleton = new Map<string, NamedPrincipal>();
  for (const principal of principals) {
    const skeleton = principalSkeleton(principal.id);
    const earlier = bySkeleton.get(skeleton);
    if (earlier === undefined) {
      bySkeleton.set(skeleton, principal);
    } else if (earlier.id !== principal.id) {
      const same = normalizePrincipalId(earlier.id) === normalizePrincipalId(principal.id);
      problems.push(
        `${principal.where}: principal ${JSON.stringify(principal.id)} ${
          same ? 'is the same after normalization as' : 'is confusable with'
        } ${JSON.stringify(earlier.id)} (${earlier.where}); give one principal one spelling`,
      );
    }
  }
  return problems;
}

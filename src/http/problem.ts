/** RFC 9457 problem details, the body of every error response. */
export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

export interface ProblemFields {
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** Stable machine-readable reason, e.g. `self-approval` or `concurrent-write`. */
  readonly code: string;
  readonly errors?: readonly FieldProblem[];
  /** With `concurrent-write`: the stream's revision that won the race. */
  readonly actualRevision?: number;
  /** With `dependency-cycle`: the loop the refused dependency would close. */
  readonly cycle?: readonly string[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:change-ledger:problem:${code}`;
}

/** Thrown when a request body or query fails validation, with every offending field. */
export class InvalidRequest extends Error {
  constructor(readonly errors: readonly FieldProblem[]) {
    super(errors.map((e) => `${e.field}: ${e.reason}`).join('; '));
    this.name = 'InvalidRequest';
  }
}

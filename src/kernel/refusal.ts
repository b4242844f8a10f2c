/**
 * What kind of "no" an error is, whatever carries it: the HTTP layer turns each into a status
 * (400, 404, 409, 422, 503), the Kafka consumer into a dead letter or a retry. Only an error
 * without a refusal is a bug.
 */
export type RefusalKind = 'invalid' | 'not-found' | 'conflict' | 'rule' | 'unavailable';

export interface FieldReason {
  readonly field: string;
  readonly reason: string;
}

export interface Refusal {
  readonly kind: RefusalKind;
  /** Stable, machine-readable: `self-approval`, `concurrent-write`, `invalid-cursor`… */
  readonly code: string;
  /** For people; the error's message when absent. */
  readonly detail?: string;
  /** The inputs at fault, each with its reason. */
  readonly fields?: readonly FieldReason[];
  /** With `concurrent-write`: the stream's revision that won the race. */
  readonly actualRevision?: number;
  /** With `dependency-cycle`: the loop the refused dependency would close. */
  readonly cycle?: readonly string[];
}

/** An error that says what kind of refusal it is; capabilities' errors implement it. */
export interface Refused {
  readonly refusal: Refusal;
}

export function isRefused(error: unknown): error is Error & Refused {
  return (
    error instanceof Error &&
    typeof (error as Partial<Refused>).refusal === 'object' &&
    (error as Partial<Refused>).refusal !== null
  );
}

import type { Refusal, Refused } from './refusal';

/**
 * How a refusal maps onto the API: 'not-found' → 404, 'conflict' → 409 (the change's current
 * status does not allow the command), 'rule' → 422 (a business rule refused it).
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'rule';

/** Each stable code has exactly one kind, so callers never have to agree on the pairing. */
export const DOMAIN_ERROR_KINDS = {
  'change-not-found': 'not-found',
  'change-exists': 'conflict',
  'invalid-transition': 'conflict',
  'invalid-request': 'rule',
  'invalid-time': 'rule',
  'invalid-window': 'rule',
  'invalid-outcome': 'rule',
  'invalid-rollout-stage': 'rule',
  'self-approval': 'rule',
  'self-review': 'rule',
  'duplicate-approval': 'rule',
  'not-approved': 'rule',
  'outside-window': 'rule',
  'reason-required': 'rule',
  'summary-required': 'rule',
  'review-required': 'rule',
  'not-permitted': 'rule',
  'template-required': 'rule',
  'template-unknown': 'rule',
  'outside-template': 'rule',
  'template-risk-exceeded': 'rule',
  'in-freeze': 'rule',
  'in-blackout': 'rule',
  'insufficient-notice': 'rule',
  'window-too-long': 'rule',
  'conflicting-change': 'rule',
  'rollout-halted': 'rule',
  'not-overdue': 'rule',
  'freeze-not-found': 'not-found',
  'freeze-exists': 'conflict',
  'freeze-over': 'conflict',
  'invalid-freeze': 'rule',
} as const satisfies Record<string, DomainErrorKind>;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_KINDS;

/** A command the decider refuses; the message is for people, the code for programs. */
export class DomainError extends Error implements Refused {
  override readonly name = 'DomainError';
  readonly kind: DomainErrorKind;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.kind = DOMAIN_ERROR_KINDS[code];
  }

  get refusal(): Refusal {
    return { kind: this.kind, code: this.code };
  }
}

import type { ExistingChange } from './change-state';
import { CHANGE_OUTCOMES } from './commands';
import type { CloseChange } from './commands';
import { DomainError } from '../../kernel/domain-error';
import { refusalMessage } from './transitions';

/**
 * The outcome must agree with what happened (a rolled-back change neither succeeded nor can a
 * change that was not rolled back claim it was), and a deployment flagged for review, as every
 * emergency is, cannot be closed until a review is recorded.
 */
export function assertMayClose(change: ExistingChange, { kind, outcome }: CloseChange): void {
  const refuse = (code: 'invalid-outcome' | 'review-required', why: string) =>
    new DomainError(code, refusalMessage(kind, change.status, why));

  if (!CHANGE_OUTCOMES.includes(outcome)) {
    throw refuse('invalid-outcome', `outcome must be one of ${CHANGE_OUTCOMES.join(', ')}`);
  }
  const rolledBack = change.status === 'rolled-back';
  if (outcome === 'rolled-back' && !rolledBack) {
    throw refuse('invalid-outcome', 'it was never rolled back');
  }
  if (rolledBack && (outcome === 'successful' || outcome === 'successful-with-issues')) {
    throw refuse('invalid-outcome', `it was rolled back, so it cannot be ${outcome}`);
  }
  if (change.deployment?.flaggedForReview === true && change.reviews.length === 0) {
    throw refuse('review-required', 'its deployment was flagged for review and none is recorded');
  }
}

import type { Principal } from '../../kernel/principal';
import type { ExistingChange } from './change-state';
import type { FollowUpKind } from './transitions';
import { refusalMessage } from './transitions';
import { DomainError } from '../../kernel/domain-error';

/** Nobody approves, rejects, defers or reviews their own change. */
export function assertNotRequester(
  change: ExistingChange,
  actor: Principal,
  kind: FollowUpKind,
  code: 'self-approval' | 'self-review',
): void {
  if (actor.id === change.requestedBy) {
    throw new DomainError(
      code,
      refusalMessage(kind, change.status, `${actor.id} requested it and cannot decide on it`),
    );
  }
}

/** Only whoever requested a change, or an admin, may withdraw it. */
export function assertRequesterOrAdmin(
  change: ExistingChange,
  actor: Principal,
  kind: FollowUpKind,
): void {
  if (actor.id !== change.requestedBy && !actor.roles.includes('admin')) {
    throw new DomainError(
      'not-permitted',
      refusalMessage(kind, change.status, `only ${change.requestedBy} or an admin may do that`),
    );
  }
}

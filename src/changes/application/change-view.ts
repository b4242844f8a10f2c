import type { ChangeState, ExistingChange } from '../domain/change-state';

/** A change as API clients see it: plain JSON, approvals as a list in the order given. */
export function toChangeView(change: ExistingChange, revision: number) {
  const { approvals, ...rest } = change;
  return {
    ...rest,
    revision,
    approvals: [...approvals].map(([principal, approval]) => ({ principal, ...approval })),
  };
}

export type ChangeView = ReturnType<typeof toChangeView>;

export function isExisting(state: ChangeState): state is ExistingChange {
  return state.status !== 'none';
}

import type { Decider } from '../../kernel/decider';
import type { ChangeCommand } from './commands';
import { initialState, type ChangeState } from './change-state';
import { decide } from './decide';
import type { ChangeEvent } from './events';
import { evolve } from './evolve';

/** A change's rules: its own stream, decided with the policy and facts the command carries. */
export const changeDecider: Decider<ChangeCommand, ChangeEvent, ChangeState> = {
  initialState,
  decide,
  evolve,
};

import type { Principal } from '../../kernel/principal';
import type { FreezeScope } from './freeze-events';

interface FreezeCommandBase {
  readonly freezeId: string;
  readonly actor: Principal;
  /** ISO-8601 instant the command came in with: the decider never reads a clock. */
  readonly at: string;
}

export interface DeclareFreeze extends FreezeCommandBase {
  readonly kind: 'DeclareFreeze';
  readonly scope: FreezeScope;
}

export interface EndFreeze extends FreezeCommandBase {
  readonly kind: 'EndFreeze';
  readonly reason?: string;
}

export type FreezeCommand = DeclareFreeze | EndFreeze;

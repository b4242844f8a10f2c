import { Command } from '@nestjs/cqrs';
import type { ChangeIntent } from './domain/commands';
import type { ChangeStatus } from './domain/change-state';
import type { CommandOrigin } from '../kernel/command-origin';

export interface ChangeCommandResult {
  readonly changeId: string;
  readonly status: ChangeStatus;
  readonly revision: number;
  readonly events: ReadonlyArray<{
    readonly type: string;
    readonly revision: number;
    readonly position: string;
    readonly hash: string;
  }>;
}

/**
 * The one CQRS command that carries any of the change's domain commands (ApproveChange,
 * RollBackChange, …) to the decider: they all take the same path, load → add the policy and
 * facts → decide → append.
 */
export class ExecuteChangeCommand extends Command<ChangeCommandResult> {
  constructor(
    readonly command: ChangeIntent,
    readonly origin: CommandOrigin,
  ) {
    super();
  }
}

/**
 * How other capabilities reach the change decider: the CQRS command bus in the service (so
 * every change command takes the one path, load → policy and facts → decide → append), the
 * handler itself where a test or benchmark runs without Nest.
 */
export interface ChangeCommands {
  execute(command: ExecuteChangeCommand): Promise<ChangeCommandResult>;
}

import { Command } from '@nestjs/cqrs';
import type { CommandOrigin } from '../../kernel/command-origin';
import type { Freeze } from '../domain/freeze-calendar';
import type { FreezeCommand } from '../domain/freeze-commands';

export interface FreezeCommandResult {
  readonly freeze: Freeze;
  readonly revision: number;
}

/** Declares or ends a freeze: load the freezes stream, decide, append at its revision. */
export class ExecuteFreezeCommand extends Command<FreezeCommandResult> {
  constructor(
    readonly command: FreezeCommand,
    readonly origin: CommandOrigin,
  ) {
    super();
  }
}

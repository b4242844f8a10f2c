import { Command } from '@nestjs/cqrs';
import type { CommandOrigin } from '../../kernel/command-origin';
import type { AlertCause, RecordAlertCause } from '../domain/alert-cause';

export interface AlertCauseResult {
  readonly streamId: string;
  readonly alertId: string;
  readonly cause: AlertCause;
  /** Revision of the alert's stream after the command. */
  readonly revision: number;
  /** False when the same cause and note were already recorded. */
  readonly recorded: boolean;
}

export class RecordAlertCauseCommand extends Command<AlertCauseResult> {
  constructor(
    /** The alert's stream id or its id at the source. */
    readonly alert: string,
    readonly command: RecordAlertCause,
    readonly origin: CommandOrigin,
  ) {
    super();
  }
}

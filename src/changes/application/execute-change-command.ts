import { Command } from '@nestjs/cqrs';
import type { ChangeCommand } from '../domain/commands';
import type { ChangeStatus } from '../domain/change-state';

/** Where a command came from, recorded in every event's metadata. */
export interface CommandOrigin {
  /** `api`, `webhook:<format>` or `kafka:<topic>`. */
  readonly source: string;
  readonly correlationId: string;
  readonly causationId?: string | null;
  /**
   * The sender's identity for this occurrence (an ingested message, a retried request):
   * event ids derive from it, and a command whose events are already recorded is not decided
   * again but answered with what was recorded.
   */
  readonly idempotencyKey?: string;
  /**
   * When the ledger received the command, by its own clock. For an API call it is the
   * command's `at`; for an ingested deploy `at` is the time the sender reports and this is
   * when the message reached the ledger (webhook request or Kafka consumption).
   */
  readonly receivedAt?: string;
}

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
 * RollBackChange, …) to the decider: they all take the same path, load → decide → append.
 */
export class ExecuteChangeCommand extends Command<ChangeCommandResult> {
  constructor(
    readonly command: ChangeCommand,
    readonly origin: CommandOrigin,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { ChangeIntent } from '../domain/commands';
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

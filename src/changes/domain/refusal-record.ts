import type { ChangeCommand } from './commands';
import type { DomainError, DomainErrorCode } from '../../kernel/domain-error';
import type { ChangeEvent } from './events';

/** Refusals an auditor must see even though nothing changed: attempts to get around a rule. */
const RECORDED: ReadonlySet<DomainErrorCode> = new Set<DomainErrorCode>([
  'self-approval',
  'self-review',
  'not-approved',
  'outside-window',
  'template-required',
  'template-unknown',
  'outside-template',
  'template-risk-exceeded',
  'in-freeze',
  'in-blackout',
  'window-too-long',
  'conflicting-change',
  'rollout-halted',
]);

/** The CommandRefused event a refusal leaves on the change's stream, if it is one to keep. */
export function refusalRecord(
  command: ChangeCommand,
  error: DomainError,
): ChangeEvent<'CommandRefused'> | null {
  if (!RECORDED.has(error.code)) return null;
  return {
    type: 'CommandRefused',
    data: {
      command: command.kind,
      actor: command.actor.id,
      code: error.code,
      reason: error.message,
      policyVersion: command.policy.version,
      ...(command.kind === 'RequestChange' ? { request: command.request } : {}),
      at: command.at,
    },
  };
}

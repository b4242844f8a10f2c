import { DomainError } from '../../kernel/domain-error';
import { toInstant } from '../../kernel/instant';
import { hasText } from '../../kernel/required-text';
import type { Decider } from '../../kernel/decider';
import { emptyCalendar, evolveCalendar, type FreezeCalendar } from './freeze-calendar';
import type { DeclareFreeze, EndFreeze, FreezeCommand } from './freeze-commands';
import type { FreezeEvent } from './freeze-events';

/**
 * Decides a freeze command. A freeze needs a reason and a span that ends after it starts and
 * after now (a freeze in the past protects nothing); it may be ended early once, never
 * extended or reopened (declare another). Pure.
 */
export function decideFreeze(command: FreezeCommand, calendar: FreezeCalendar): FreezeEvent[] {
  return command.kind === 'DeclareFreeze'
    ? declareFreeze(command, calendar)
    : endFreeze(command, calendar);
}

function declareFreeze(command: DeclareFreeze, calendar: FreezeCalendar): FreezeEvent[] {
  const { freezeId, scope, actor, at } = command;
  if (calendar.has(freezeId)) {
    throw new DomainError('freeze-exists', `freeze ${freezeId} is already declared`);
  }
  const start = toInstant(scope.start);
  const end = toInstant(scope.end);
  const problems = [
    hasText(scope.reason) ? null : 'a reason is required',
    start === undefined || end === undefined
      ? 'start and end need ISO-8601 date-times with an offset'
      : null,
    start !== undefined && end !== undefined && end <= start ? 'it must end after it starts' : null,
    end !== undefined && end <= Date.parse(at) ? `it must end after now (${at})` : null,
  ].filter((problem) => problem !== null);
  if (problems.length > 0) {
    throw new DomainError(
      'invalid-freeze',
      `cannot declare freeze ${freezeId}: ${problems.join('; ')}`,
    );
  }
  return [{ type: 'FreezeDeclared', data: { freezeId, ...scope, declaredBy: actor.id, at } }];
}

function endFreeze(command: EndFreeze, calendar: FreezeCalendar): FreezeEvent[] {
  const { freezeId, reason, actor, at } = command;
  const freeze = calendar.get(freezeId);
  if (freeze === undefined) {
    throw new DomainError('freeze-not-found', `freeze ${freezeId} does not exist`);
  }
  if (freeze.endedAt !== undefined || Date.parse(freeze.end) <= Date.parse(at)) {
    throw new DomainError(
      'freeze-over',
      `freeze ${freezeId} is already over (it ended ${freeze.end})`,
    );
  }
  return [{ type: 'FreezeEnded', data: { freezeId, endedBy: actor.id, reason, at } }];
}

/** The freeze calendar's rules: one stream, every freeze on it. */
export const freezeDecider: Decider<FreezeCommand, FreezeEvent, FreezeCalendar> = {
  initialState: emptyCalendar,
  decide: decideFreeze,
  evolve: evolveCalendar,
};

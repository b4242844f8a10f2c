import type { ChangeCommand } from './commands';
import { DomainError } from './domain-error';
import { refusalRecord } from './refusal-record';

const approve: ChangeCommand = {
  kind: 'ApproveChange',
  changeId: 'c1',
  actor: { id: 'alice', roles: ['approver'] },
  at: '2026-11-22T10:00:00Z',
};

describe('refusals kept on the record', () => {
  it.each(['self-approval', 'self-review', 'not-approved', 'outside-window'] as const)(
    'keeps a %s refusal with who tried what and when',
    (code) => {
      expect(refusalRecord(approve, new DomainError(code, 'no'))).toEqual({
        type: 'CommandRefused',
        data: { command: 'ApproveChange', actor: 'alice', code, reason: 'no', at: approve.at },
      });
    },
  );

  it.each([
    'invalid-transition',
    'duplicate-approval',
    'reason-required',
    'change-not-found',
  ] as const)('does not keep a %s refusal', (code) => {
    expect(refusalRecord(approve, new DomainError(code, 'no'))).toBeNull();
  });
});

import { DomainError } from '../../kernel/domain-error';
import { ANYTIME_POLICY, complete } from './fixtures/decision-context';
import { refusalRecord } from './refusal-record';

const approve = complete({
  kind: 'ApproveChange',
  changeId: 'c1',
  actor: { id: 'alice', roles: ['approver'] },
  at: '2026-11-22T10:00:00Z',
});

describe('refusals kept on the record', () => {
  it.each([
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
  ] as const)('keeps a %s refusal with who tried what, when, under which policy', (code) => {
    expect(refusalRecord(approve, new DomainError(code, 'no'))).toEqual({
      type: 'CommandRefused',
      data: {
        command: 'ApproveChange',
        actor: 'alice',
        code,
        reason: 'no',
        policyVersion: ANYTIME_POLICY.version,
        at: approve.at,
      },
    });
  });

  it.each([
    'invalid-transition',
    'duplicate-approval',
    'reason-required',
    'change-not-found',
    'insufficient-notice',
    'not-overdue',
  ] as const)('does not keep a %s refusal', (code) => {
    expect(refusalRecord(approve, new DomainError(code, 'no'))).toBeNull();
  });
});

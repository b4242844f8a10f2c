import { DEFAULT_POLICY, policyWith } from '../fixtures/policies';
import type { RestrictedPeriod } from '../windows/restricted-periods';
import { windowConflicts, type OverlappingChange } from './change-conflicts';

const other = (relation: OverlappingChange['relation']): OverlappingChange => ({
  changeId: 'c-2',
  title: 'Resize payments pool',
  status: 'scheduled',
  window: { start: '2030-01-08T02:00:00Z', end: '2030-01-08T03:00:00Z' },
  relation,
  services: ['payments'],
});
const freeze: RestrictedPeriod = {
  kind: 'freeze',
  id: 'f-1',
  reason: 'audit',
  start: '2030-01-08T00:00:00Z',
  end: '2030-01-09T00:00:00Z',
};

describe('windowConflicts', () => {
  it('says what each overlap is and what the policy does about it', () => {
    const strict = policyWith((p) => {
      p.conflicts.sameService = 'refuse';
    });
    expect(
      windowConflicts(strict.document, [other('same-service'), other('dependency')], [], false),
    ).toEqual([
      {
        kind: 'same-service',
        with: 'c-2',
        detail:
          'change c-2 (Resize payments pool, scheduled) has window 2030-01-08T02:00:00Z – 2030-01-08T03:00:00Z on payments',
        action: 'refuse',
      },
      expect.objectContaining({ kind: 'dependency', with: 'c-2', action: 'warn' }),
    ]);
  });

  it('only warns of overlaps under the default policy', () => {
    const actions = windowConflicts(
      DEFAULT_POLICY.document,
      [other('same-service'), other('dependency')],
      [],
      false,
    ).map((c) => c.action);
    expect(actions).toEqual(['warn', 'warn']);
  });

  it('refuses a freeze or blackout for any change but an emergency, which it only warns of', () => {
    expect(windowConflicts(DEFAULT_POLICY.document, [], [freeze], false)).toEqual([
      {
        kind: 'freeze',
        with: 'f-1',
        detail: 'freeze f-1 (audit, 2030-01-08T00:00:00Z – 2030-01-09T00:00:00Z)',
        action: 'refuse',
      },
    ]);
    expect(windowConflicts(DEFAULT_POLICY.document, [], [freeze], true)[0].action).toBe('warn');
  });
});

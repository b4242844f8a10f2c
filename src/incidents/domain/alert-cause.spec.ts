import { DomainError } from '../../kernel/domain-error';
import {
  alertRecordOf,
  decideAlertCause,
  withExplicitCause,
  type RecordAlertCause,
} from './alert-cause';
import type { Suspect } from './what-changed';

const bob = { id: 'bob', roles: ['approver' as const] };
const AT = '2031-03-10T12:30:00.000Z';
const fired = { type: 'AlertFired', data: { alertId: 'am:1', service: 'checkout' } };
const cause = (changeId: string | null, note = 'pool exhaustion'): RecordAlertCause => ({
  changeId,
  note,
  actor: bob,
  at: AT,
});

describe('recording what caused an alert', () => {
  it('knows no alert on an empty stream, and the latest cause on a stream', () => {
    expect(alertRecordOf([])).toBeNull();
    const named = { changeId: 'c-1', note: 'pool exhaustion', recordedBy: 'carol', at: AT };
    const recorded = { type: 'AlertCauseRecorded', data: { alertId: 'am:1', ...named } };
    expect(alertRecordOf([fired, recorded])).toEqual({ alertId: 'am:1', cause: named });
  });

  it('records who named which change, or that no change caused it', () => {
    const alert = { alertId: 'am:1', cause: null };
    expect(decideAlertCause(cause('c-1'), alert, true)).toEqual([
      { alertId: 'am:1', changeId: 'c-1', note: 'pool exhaustion', recordedBy: 'bob', at: AT },
    ]);
    expect(decideAlertCause(cause(null), alert, false)).toMatchObject([{ changeId: null }]);
  });

  it('refuses a change that does not exist, and records a repeated cause once', () => {
    const alert = { alertId: 'am:1', cause: null };
    expect(() => decideAlertCause(cause('ghost'), alert, false)).toThrow(DomainError);
    const named = {
      alertId: 'am:1',
      cause: { changeId: 'c-1', note: 'pool exhaustion', recordedBy: 'carol', at: AT },
    };
    expect(decideAlertCause(cause('c-1'), named, true)).toEqual([]);
    expect(decideAlertCause(cause('c-1', 'confirmed in the logs'), named, true)).toHaveLength(1);
  });

  it('puts the named change first, marked, and leaves the heuristic order for the rest', () => {
    const suspect = (changeId: string | null, key: string) =>
      ({ changeId, deploymentKey: key, reasons: ['dependency'] }) as unknown as Suspect;
    const ranked = [suspect('c-1', 'a'), suspect(null, 'b'), suspect('c-2', 'c')];
    const named = withExplicitCause(ranked, { changeId: 'c-2', note: '', recordedBy: 'b', at: AT });
    expect(named.map((s) => [s.deploymentKey, s.reasons])).toEqual([
      ['c', ['explicit-cause', 'dependency']],
      ['a', ['dependency']],
      ['b', ['dependency']],
    ]);
    expect(
      withExplicitCause(ranked, { changeId: null, note: '', recordedBy: 'b', at: AT }),
    ).toEqual(ranked);
  });
});

import { DEFAULT_POLICY, policyWith } from '../fixtures/policies';
import { earliestStartAfterNotice, noticeApplies } from './minimum-notice';

const policy = DEFAULT_POLICY.document;
const iso = (ms: number) => new Date(ms).toISOString();

describe('minimum notice (default policy: 5 business days for production)', () => {
  it('applies to the environments the policy names, and not at 0 days', () => {
    expect(noticeApplies(policy, 'production')).toBe(true);
    expect(noticeApplies(policy, 'staging')).toBe(false);
    const none = policyWith((p) => {
      p.scheduling.minimumNotice = { businessDays: 0 };
    }).document;
    expect(noticeApplies(none, 'production')).toBe(false);
  });

  it('counts business days in the policy\u2019s zone, skipping the weekend', () => {
    // Monday 2030-01-07 10:00 London → Monday 2030-01-14 10:00.
    expect(iso(earliestStartAfterNotice(policy, Date.parse('2030-01-07T10:00:00Z')))).toBe(
      '2030-01-14T10:00:00.000Z',
    );
    // Saturday 2030-01-12 → Mon, Tue, Wed, Thu, Fri → Friday 2030-01-18.
    expect(iso(earliestStartAfterNotice(policy, Date.parse('2030-01-12T10:00:00Z')))).toBe(
      '2030-01-18T10:00:00.000Z',
    );
  });
});

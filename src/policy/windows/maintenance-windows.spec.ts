import { DEFAULT_POLICY, policyWith } from '../fixtures/policies';
import { applicableWindows, describeWindow, occurrenceHolding } from './maintenance-windows';
import { instantSpan } from './span';

const policy = DEFAULT_POLICY.document;
const ms = (iso: string) => Date.parse(iso);
const span = (start: string, end: string) => ({ start: ms(start), end: ms(end) });

describe('maintenance windows (default policy: production tier 1-2, Tue and Thu 02:00-04:00 London)', () => {
  const critical = applicableWindows(policy, 'production', 1);

  it('govern a change by its environment and its most critical tier', () => {
    expect(critical.map((w) => w.id)).toEqual(['production-critical']);
    expect(applicableWindows(policy, 'production', 4).map((w) => w.id)).toEqual([
      'production-business-hours',
    ]);
    expect(applicableWindows(policy, 'staging', 1)).toEqual([]);
  });

  it('hold a span inside one occurrence, in local time across daylight saving', () => {
    // Tuesday 2030-01-08, London is on GMT; Tuesday 2030-07-09, London is on BST (UTC+1).
    expect(
      occurrenceHolding(policy, critical, span('2030-01-08T02:00:00Z', '2030-01-08T04:00:00Z')),
    ).toEqual({
      windowId: 'production-critical',
      start: ms('2030-01-08T02:00:00Z'),
      end: ms('2030-01-08T04:00:00Z'),
    });
    expect(
      occurrenceHolding(policy, critical, span('2030-07-09T01:00:00Z', '2030-07-09T03:00:00Z')),
    ).toMatchObject({
      start: ms('2030-07-09T01:00:00Z'),
    });
    expect(
      occurrenceHolding(policy, critical, span('2030-07-09T02:00:00Z', '2030-07-09T03:30:00Z')),
    ).toBeNull();
  });

  it('hold nothing on other days, before or after the hours, or across two occurrences', () => {
    expect(occurrenceHolding(policy, critical, instantSpan(ms('2030-01-09T02:30:00Z')))).toBeNull();
    expect(occurrenceHolding(policy, critical, instantSpan(ms('2030-01-08T01:59:59Z')))).toBeNull();
    expect(occurrenceHolding(policy, critical, instantSpan(ms('2030-01-08T04:00:00Z')))).toBeNull();
    expect(
      occurrenceHolding(policy, critical, span('2030-01-08T03:00:00Z', '2030-01-10T03:00:00Z')),
    ).toBeNull();
    // A ten-year window is never inside a two-hour one.
    expect(
      occurrenceHolding(policy, critical, span('2030-01-08T02:00:00Z', '2040-01-08T02:00:00Z')),
    ).toBeNull();
  });

  it('run past midnight when they end at or before they start', () => {
    const overnight = policyWith((p) => {
      p.windows = [
        {
          id: 'night',
          environments: ['production'],
          tiers: [1],
          days: ['fri'],
          from: '22:00',
          to: '02:00',
          timeZone: 'UTC',
        },
      ];
    }).document;
    const night = applicableWindows(overnight, 'production', 1);
    // Friday 2030-01-11 22:00 to Saturday 02:00.
    expect(
      occurrenceHolding(overnight, night, instantSpan(ms('2030-01-12T01:30:00Z'))),
    ).toMatchObject({
      start: ms('2030-01-11T22:00:00Z'),
      end: ms('2030-01-12T02:00:00Z'),
    });
    expect(occurrenceHolding(overnight, night, instantSpan(ms('2030-01-13T01:30:00Z')))).toBeNull();
  });

  it('are named with their days, hours and zone', () => {
    expect(describeWindow(policy, critical[0])).toBe(
      'production-critical (tue, thu 02:00–04:00 Europe/London)',
    );
  });
});

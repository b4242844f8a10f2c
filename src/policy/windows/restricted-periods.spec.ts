import { DEFAULT_POLICY } from '../fixtures/policies';
import {
  blackoutPeriods,
  describePeriod,
  restrictionsOverlapping,
  type RestrictedPeriod,
} from './restricted-periods';
import { instantSpan } from './span';

const at = (iso: string) => instantSpan(Date.parse(iso));

describe('restricted periods', () => {
  const blackouts = blackoutPeriods(DEFAULT_POLICY.document);
  const freeze: RestrictedPeriod = {
    kind: 'freeze',
    id: 'f-1',
    reason: 'payments migration',
    start: '2030-01-01T00:00:00Z',
    end: '2030-01-02T00:00:00Z',
    services: ['payments'],
  };

  it('cover their environments and services for their span only', () => {
    expect(
      restrictionsOverlapping(blackouts, at('2026-11-27T12:00:00Z'), 'production', ['search']),
    ).toEqual([blackouts[0]]);
    expect(
      restrictionsOverlapping(blackouts, at('2026-11-27T12:00:00Z'), 'staging', ['search']),
    ).toEqual([]);
    expect(
      restrictionsOverlapping(blackouts, at('2026-12-01T00:00:00Z'), 'production', ['search']),
    ).toEqual([]);
    expect(
      restrictionsOverlapping([freeze], at('2030-01-01T10:00:00Z'), 'staging', ['payments', 'x']),
    ).toEqual([freeze]);
    expect(
      restrictionsOverlapping([freeze], at('2030-01-01T10:00:00Z'), 'staging', ['cart']),
    ).toEqual([]);
  });

  it('are named with their reason and span', () => {
    expect(describePeriod(freeze)).toBe(
      'freeze f-1 (payments migration, 2030-01-01T00:00:00Z – 2030-01-02T00:00:00Z)',
    );
  });
});

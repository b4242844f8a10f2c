import { assertValidWindow, isWithin } from './change-window';
import { DomainError } from '../../kernel/domain-error';

describe('assertValidWindow', () => {
  it('accepts a window that ends after it starts', () => {
    expect(() =>
      assertValidWindow({ start: '2030-01-01T09:00:00Z', end: '2030-01-01T10:00:00Z' }, 'w'),
    ).not.toThrow();
  });

  it('compares instants, not strings, across offsets', () => {
    // 10:30+02:00 is 08:30Z, before the start: the strings alone would say otherwise.
    expect(() =>
      assertValidWindow({ start: '2030-01-01T09:00:00Z', end: '2030-01-01T10:30:00+02:00' }, 'w'),
    ).toThrow(DomainError);
  });

  it.each([
    ['ends before it starts', '2030-01-01T10:00:00Z', '2030-01-01T09:00:00Z', 'must end after'],
    ['is empty', '2030-01-01T10:00:00Z', '2030-01-01T10:00:00Z', 'must end after'],
    ['has an unreadable start', 'soon', '2030-01-01T10:00:00Z', 'needs ISO-8601'],
    ['has an end without offset', '2030-01-01T09:00:00Z', '2030-01-01T10:00:00', 'needs ISO-8601'],
  ])('refuses a window that %s', (_why, start, end, says) => {
    try {
      assertValidWindow({ start, end }, 'the window');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({ code: 'invalid-window', kind: 'rule' });
      expect((e as DomainError).message).toContain(`the window ${says}`);
    }
  });
});

describe('isWithin', () => {
  const window = { start: '2030-01-01T09:00:00Z', end: '2030-01-01T10:00:00Z' };

  it.each([
    ['before the start', '2030-01-01T08:59:59.999Z', false],
    ['at the start', '2030-01-01T09:00:00Z', true],
    ['inside', '2030-01-01T09:30:00Z', true],
    ['at the end, which is excluded', '2030-01-01T10:00:00Z', false],
    ['after the end', '2030-01-01T10:00:01Z', false],
    ['inside, given with another offset', '2030-01-01T10:30:00+01:00', true],
  ])('%s → %s', (_when, at, inside) => {
    expect(isWithin(window, at)).toBe(inside);
  });
});

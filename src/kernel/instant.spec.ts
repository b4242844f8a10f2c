import { DomainError } from './domain-error';
import { requireInstant, toInstant } from './instant';

describe('toInstant', () => {
  it.each([
    ['2030-01-01T09:00:00Z', Date.UTC(2030, 0, 1, 9)],
    ['2030-01-01T09:00:00.250Z', Date.UTC(2030, 0, 1, 9, 0, 0, 250)],
    ['2030-01-01T11:00:00+02:00', Date.UTC(2030, 0, 1, 9)],
    ['2030-01-01T04:00-05:00', Date.UTC(2030, 0, 1, 9)],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
  ])('reads %s', (value, millis) => {
    expect(toInstant(value)).toBe(millis);
  });

  it.each([
    ['no offset, which would be read in the server time zone', '2030-01-01T09:00:00'],
    ['a date without a time', '2030-01-01'],
    ['an impossible day', '2030-02-30T09:00:00Z'],
    ['a non-leap February 29', '2030-02-29T09:00:00Z'],
    ['an impossible month', '2030-13-01T09:00:00Z'],
    ['an impossible hour', '2030-01-01T25:00:00Z'],
    ['year 0000, which PostgreSQL cannot store', '0000-01-01T00:00:00Z'],
    ['free text', 'tomorrow morning'],
    ['an empty string', ''],
  ])('refuses %s', (_why, value) => {
    expect(toInstant(value)).toBeUndefined();
  });
});

describe('requireInstant', () => {
  it('returns the instant it reads', () => {
    expect(requireInstant('2030-01-01T09:00:00Z', 'at')).toBe(Date.UTC(2030, 0, 1, 9));
  });

  it('refuses with invalid-time, naming the field and the value', () => {
    const error = (() => {
      try {
        requireInstant('2030-01-01 09:00', 'until');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'invalid-time',
      kind: 'rule',
      message: 'until must be an ISO-8601 date-time with an offset, got "2030-01-01 09:00"',
    });
  });
});

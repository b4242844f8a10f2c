import { nearestRankPercentile } from './percentile';

describe('nearestRankPercentile', () => {
  it('takes the value at rank ⌈p/100 · n⌉ of the sorted values', () => {
    // n = 7: p50 → rank ⌈3.5⌉ = 4, p90 → rank ⌈6.3⌉ = 7.
    const values = [200, 10, 45, 120, 30, 90, 50];
    expect(nearestRankPercentile(values, 50)).toBe(50);
    expect(nearestRankPercentile(values, 90)).toBe(200);
  });

  it('never interpolates: with an even count p50 is the lower middle value', () => {
    // n = 4: rank ⌈2⌉ = 2.
    expect(nearestRankPercentile([1, 2, 3, 4], 50)).toBe(2);
    // n = 10: p90 → rank ⌈9⌉ = 9.
    expect(nearestRankPercentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90)).toBe(9);
  });

  it('gives the only value for one value and null for none', () => {
    expect(nearestRankPercentile([42], 50)).toBe(42);
    expect(nearestRankPercentile([42], 90)).toBe(42);
    expect(nearestRankPercentile([], 50)).toBeNull();
  });

  it('gives the maximum at p100 and does not reorder its input', () => {
    const values = [3, 1, 2];
    expect(nearestRankPercentile(values, 100)).toBe(3);
    expect(values).toEqual([3, 1, 2]);
  });

  it.each([0, -5, 101, Number.NaN])('refuses percentile %p', (p) => {
    expect(() => nearestRankPercentile([1], p)).toThrow(RangeError);
  });
});

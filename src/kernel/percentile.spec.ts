import { median, nearestRankPercentile } from './percentile';

const p90 = (values: readonly number[]) => nearestRankPercentile(values, 90);

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

describe('median and 90th percentile', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
  });

  it('takes the 90th percentile by nearest rank', () => {
    expect(p90([])).toBeNull();
    expect(p90([5])).toBe(5);
    // ceil(0.9 × 10) = 9th smallest
    expect(p90([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])).toBe(9);
    // ceil(0.9 × 11) = 10th smallest
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toBe(10);
  });
});

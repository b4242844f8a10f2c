import { median, percentile90 } from './percentiles';

describe('median and 90th percentile', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
  });

  it('takes the 90th percentile by nearest rank', () => {
    expect(percentile90([])).toBeNull();
    expect(percentile90([5])).toBe(5);
    // ceil(0.9 × 10) = 9th smallest
    expect(percentile90([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])).toBe(9);
    // ceil(0.9 × 11) = 10th smallest
    expect(percentile90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toBe(10);
  });
});

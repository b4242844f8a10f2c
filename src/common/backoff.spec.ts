import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const backoff = { initialMs: 250, maxMs: 5000 };

  it('doubles from the initial delay up to the cap, and stays there', () => {
    const noJitter = () => 0;
    expect(
      [0, 1, 2, 3, 4, 5, 6, 1000].map((attempt) => backoffDelay(attempt, backoff, noJitter)),
    ).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('takes at most a fifth off at random, never adding to the ceiling', () => {
    const justBelowOne = () => 0.999999;
    expect(backoffDelay(0, backoff, justBelowOne)).toBe(200);
    expect(backoffDelay(10, backoff, justBelowOne)).toBe(4000);
    expect(backoffDelay(2, backoff, () => 0.5)).toBe(900);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(3, backoff);
      expect(delay).toBeGreaterThanOrEqual(1600);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it('never overflows however many attempts failed', () => {
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, backoff, () => 0)).toBe(5000);
  });
});

import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, and stays there', () => {
    const backoff = { initialMs: 250, maxMs: 5000 };
    expect([0, 1, 2, 3, 4, 5, 6, 1000].map((attempt) => backoffDelay(attempt, backoff))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000, 5000,
    ]);
  });
});

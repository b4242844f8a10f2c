import { TIMED_OUT, withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('gives the result when the work settles first', async () => {
    await expect(withTimeout(Promise.resolve(42), 1000)).resolves.toBe(42);
    await expect(withTimeout(Promise.reject(new Error('no')), 1000)).rejects.toThrow('no');
  });

  it('gives TIMED_OUT when the time runs out first', async () => {
    await expect(withTimeout(new Promise(() => undefined), 10)).resolves.toBe(TIMED_OUT);
  });
});

import { BatchingQueue } from './batching-queue';

/** A send whose batches are recorded and held until released, one at a time. */
function heldSend() {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const send = (requests: readonly number[]) => {
    batches.push([...requests]);
    return new Promise<Array<PromiseSettledResult<string>>>((resolve) =>
      releases.push(() =>
        resolve(
          requests.map((n) =>
            n < 0
              ? { status: 'rejected', reason: new Error(`refused ${n}`) }
              : { status: 'fulfilled', value: `done ${n}` },
          ),
        ),
      ),
    );
  };
  const releaseNext = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()?.();
  };
  return { batches, send, releaseNext };
}

describe('BatchingQueue', () => {
  it('sends a lone request at once, and what arrives meanwhile together in the next batch', async () => {
    const { batches, send, releaseNext } = heldSend();
    const queue = new BatchingQueue(send, 10);
    const first = queue.submit(1);
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => queue.submit(n));
    expect(batches).toEqual([[1]]);
    await releaseNext();
    expect(await first).toBe('done 1');
    await releaseNext();
    expect(await Promise.all(rest)).toEqual(['done 2', 'done 3', 'done 4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('settles each request on its own: one refused leaves the others of its batch', async () => {
    const { send, releaseNext } = heldSend();
    const queue = new BatchingQueue(send, 10);
    const lone = queue.submit(0);
    const outcomes = Promise.allSettled([queue.submit(5), queue.submit(-1), queue.submit(6)]);
    await releaseNext();
    await lone;
    await releaseNext();
    const settled = await outcomes;
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('refused -1'));
  });

  it('splits a burst into batches of at most its bound', async () => {
    const { batches, send, releaseNext } = heldSend();
    const queue = new BatchingQueue(send, 2);
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => queue.submit(n)));
    for (let i = 0; i < 3; i++) await releaseNext();
    expect(await all).toHaveLength(5);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('rejects every request of a batch whose send fails, and goes on with the next', async () => {
    let calls = 0;
    const queue = new BatchingQueue<number, number>((requests) => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('database down'));
      return Promise.resolve(requests.map((n) => ({ status: 'fulfilled' as const, value: n })));
    }, 10);
    await expect(queue.submit(1)).rejects.toThrow('database down');
    expect(await queue.submit(2)).toBe(2);
  });
});

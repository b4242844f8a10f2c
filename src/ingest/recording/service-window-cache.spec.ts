import type { EventStore, ReadStreamOptions } from '../../ledger/event-store';
import type { RecordedEvent } from '../../ledger/ledger-event';
import { ServiceWindowCache } from './service-window-cache';

const event = (streamId: string, revision: number) =>
  ({
    streamId,
    revision,
    eventId: `${streamId}@${revision}`,
    type: 'X',
    data: {},
  }) as RecordedEvent;

/** A store holding `length` events per stream, counting the reads it is asked for. */
function storeOf(lengths: Record<string, number>) {
  const reads: Array<[string, ReadStreamOptions]> = [];
  const store = {
    readStream: (streamId: string, options: ReadStreamOptions = {}) => {
      reads.push([streamId, options]);
      const all = Array.from({ length: lengths[streamId] ?? 0 }, (_, r) => event(streamId, r));
      if (options.direction === 'backward') return Promise.resolve(all.reverse());
      return Promise.resolve(all.slice(options.fromRevision ?? 0));
    },
  };
  return { store: store as unknown as EventStore, reads, lengths };
}

describe('ServiceWindowCache', () => {
  it('reads a stream once, then only what follows its cached head when asked to refresh', async () => {
    const { store, reads, lengths } = storeOf({ a: 3 });
    const cache = new ServiceWindowCache(store);
    expect((await cache.windowsOf(['a'])).get('a')?.head).toBe(2);
    expect((await cache.windowsOf(['a'])).get('a')?.head).toBe(2);
    lengths.a = 5;
    expect((await cache.windowsOf(['a'], new Set(['a']))).get('a')?.head).toBe(4);
    expect(reads).toEqual([
      ['a', { direction: 'backward', limit: 500 }],
      ['a', { fromRevision: 3 }],
    ]);
  });

  it('extends a window with appends that follow it, and forgets it after a gap', async () => {
    const { store, reads } = storeOf({ a: 1, b: 1 });
    const cache = new ServiceWindowCache(store);
    await cache.windowsOf(['a', 'b']);
    cache.appended('a', [event('a', 1), event('a', 2)]);
    cache.appended('b', [event('b', 3)]);
    const windows = await cache.windowsOf(['a', 'b']);
    expect(windows.get('a')?.has('a@2')).toBe(true);
    expect(reads.map(([streamId]) => streamId)).toEqual(['a', 'b', 'b']);
  });

  it('evicts the least recently used streams beyond its capacity', async () => {
    const { store, reads } = storeOf({ a: 2, b: 2, c: 2 });
    const cache = new ServiceWindowCache(store, 7);
    await cache.windowsOf(['a', 'b']);
    await cache.windowsOf(['a']);
    await cache.windowsOf(['c']);
    await cache.windowsOf(['a', 'b']);
    expect(reads.map(([streamId]) => streamId)).toEqual(['a', 'b', 'c', 'b']);
  });
});

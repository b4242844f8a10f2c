import { BoundedLru } from './bounded-lru';

describe('BoundedLru', () => {
  it('drops the least recently used entry beyond its capacity', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now more recent than b
    lru.set('c', 3);
    expect(lru.peek('b')).toBeUndefined();
    expect([lru.peek('a'), lru.peek('c'), lru.size]).toEqual([1, 3, 2]);
  });

  it('does not count a peek as a use', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.peek('a');
    lru.set('c', 3);
    expect(lru.peek('a')).toBeUndefined();
  });

  it('forgets on delete and refuses a capacity below one', () => {
    const lru = new BoundedLru<string, number>(1);
    lru.set('a', 1);
    lru.delete('a');
    expect(lru.size).toBe(0);
    expect(() => new BoundedLru(0)).toThrow(RangeError);
  });
});

import { StreamHeadCache } from './stream-head-cache';

describe('StreamHeadCache', () => {
  it('answers only an exact expected revision it has seen', () => {
    const cache = new StreamHeadCache(10);
    cache.remember({ streamId: 's', revision: 3, hash: 'h3' });
    expect(cache.at('s', 3)).toEqual({ revision: 3, hash: 'h3' });
    expect(cache.at('s', 2)).toBeNull();
    expect(cache.at('s', 'any')).toBeNull();
    expect(cache.at('s', 'no-stream')).toBeNull();
    expect(cache.at('t', 3)).toBeNull();
  });

  it('never moves a head backwards', () => {
    const cache = new StreamHeadCache(10);
    cache.remember({ streamId: 's', revision: 5, hash: 'h5' });
    cache.remember({ streamId: 's', revision: 1, hash: 'h1' });
    expect(cache.at('s', 5)).toEqual({ revision: 5, hash: 'h5' });
  });

  it('forgets the least recently written stream beyond its capacity', () => {
    const cache = new StreamHeadCache(2);
    cache.remember({ streamId: 'a', revision: 0, hash: 'a' });
    cache.remember({ streamId: 'b', revision: 0, hash: 'b' });
    cache.remember({ streamId: 'c', revision: 0, hash: 'c' });
    expect(cache.at('a', 0)).toBeNull();
    expect(cache.at('b', 0)).not.toBeNull();
    expect(cache.at('c', 0)).not.toBeNull();
  });
});

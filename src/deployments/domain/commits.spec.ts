import { commitPrefix, sameCommit } from './commits';

describe('commits', () => {
  it('names a commit by its first seven digits, lower-cased, or not at all', () => {
    expect(commitPrefix('9F1C2AB4e5d6')).toBe('9f1c2ab');
    expect(commitPrefix('9f1c2a')).toBeNull();
    expect(commitPrefix(null)).toBeNull();
  });

  it('takes a short and a full SHA for the same commit when one starts with the other', () => {
    expect(sameCommit('9f1c2ab', '9F1C2AB4E5D6F708')).toBe(true);
    expect(sameCommit('9f1c2ab4e5d6', '9f1c2ab')).toBe(true);
    expect(sameCommit('9f1c2ac', '9f1c2ab4e5d6')).toBe(false);
    expect(sameCommit('9f1c2a', '9f1c2ab4e5d6')).toBe(false);
    expect(sameCommit(undefined, '9f1c2ab')).toBe(false);
  });
});

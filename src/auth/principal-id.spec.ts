import {
  confusablePrincipals,
  normalizePrincipalId,
  principalIdProblem,
  principalSkeleton,
} from './principal-id';

describe('principal ids', () => {
  it.each([
    ['Alice', 'alice'],
    ['alice ', 'alice'],
    ['ＡＬＩＣＥ', 'alice'],
    ['Straße', 'strasse'],
    ['ci-bot', 'ci-bot'],
  ])('normalizes %p to %p', (raw, normalized) => {
    expect(normalizePrincipalId(raw)).toBe(normalized);
  });

  it('gives look-alikes one skeleton (Unicode TR39)', () => {
    expect(principalSkeleton('\u0430lice')).toBe(principalSkeleton('alice'));
    expect(principalSkeleton('a1ice')).toBe(principalSkeleton('alice'));
    expect(principalSkeleton('bob')).not.toBe(principalSkeleton('alice'));
  });

  it('refuses ids that cannot be stored or shown', () => {
    expect(principalIdProblem('')).toMatch(/empty/);
    expect(principalIdProblem('a\u0000b')).toMatch(/control/);
    expect(principalIdProblem('x'.repeat(201))).toMatch(/at most 200/);
    expect(principalIdProblem('alice')).toBeNull();
  });

  it('finds one person configured as several', () => {
    const problems = confusablePrincipals([
      { id: 'alice', where: 'keys[0]' },
      { id: 'Alice', where: 'keys[1]' },
      { id: '\u0430lice', where: 'keys[2]' },
      { id: 'alice', where: 'keys[3]' },
      { id: 'bob', where: 'keys[4]' },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/keys\[1\].*same after normalization as "alice" \(keys\[0\]\)/),
      expect.stringMatching(/keys\[2\].*confusable with "alice" \(keys\[0\]\)/),
    ]);
  });
});

import { inputProblems, textProblem } from './input-limits';

describe('input limits', () => {
  it('refuses text PostgreSQL cannot store, and text that is too long', () => {
    expect(textProblem('a\u0000b', 100)).toMatch(/NUL/);
    expect(textProblem('\ud800', 100)).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('x\udc00', 100)).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('x'.repeat(101), 100)).toMatch(/at most 100/);
    expect(textProblem('🚀 fine', 100)).toBeNull();
  });

  it('names every offending field by its path', () => {
    expect(
      inputProblems({
        title: 'ok',
        rollbackPlan: { steps: ['fine', 'bad\u0000'] },
        ['k\u0000']: 1,
        labels: { note: 'y'.repeat(10_001) },
      }),
    ).toEqual(
      expect.arrayContaining([
        { field: 'rollbackPlan.steps[1]', reason: expect.stringMatching(/NUL/) as string },
        { field: 'k\u0000', reason: expect.stringMatching(/^key/) as string },
        { field: 'labels.note', reason: 'must be at most 10000 characters' },
      ]),
    );
  });

  it('stops at the nesting limit however deep the input is, without recursion', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    const problems = inputProblems(deep);
    expect(problems).toHaveLength(1);
    expect(problems[0].reason).toBe('must not be nested more than 32 levels deep');
    expect(problems[0].field.split('.')).toHaveLength(32);
  });

  it('reports a query or path value under its own name', () => {
    expect(inputProblems('a\u0000', 'id')).toEqual([
      { field: 'id', reason: 'must not contain a NUL (U+0000) character' },
    ]);
  });
});

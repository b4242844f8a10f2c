import { assessRisk } from './risk-assessment';

describe('assessRisk', () => {
  const base = { blastRadius: 'low' as const, hasDatabaseMigration: false, services: ['checkout'] };

  it.each([
    ['low', 1, 'low'],
    ['medium', 3, 'medium'],
    ['high', 6, 'high'],
  ] as const)('weighs a %s blast radius as %i (level %s)', (blastRadius, score, level) => {
    expect(assessRisk({ ...base, blastRadius })).toEqual({
      score,
      level,
      factors: [`${blastRadius} blast radius (+${score})`],
    });
  });

  it('adds 3 for a database migration', () => {
    expect(assessRisk({ ...base, hasDatabaseMigration: true })).toEqual({
      score: 4,
      level: 'medium',
      factors: ['low blast radius (+1)', 'includes a database migration (+3)'],
    });
  });

  it('adds 1 per service beyond the first', () => {
    expect(assessRisk({ ...base, services: ['checkout', 'cart', 'search'] })).toEqual({
      score: 3,
      level: 'medium',
      factors: ['low blast radius (+1)', 'touches 3 services (+2)'],
    });
  });

  it('caps the services contribution at 3 and says so', () => {
    const services = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(assessRisk({ ...base, services })).toEqual({
      score: 4,
      level: 'medium',
      factors: ['low blast radius (+1)', 'touches 7 services (+3, capped)'],
    });
  });

  it('does not say "capped" at exactly the cap', () => {
    expect(assessRisk({ ...base, services: ['a', 'b', 'c', 'd'] }).factors).toEqual([
      'low blast radius (+1)',
      'touches 4 services (+3)',
    ]);
  });

  it('counts a service listed twice once', () => {
    expect(assessRisk({ ...base, services: ['checkout', 'checkout'] })).toEqual({
      score: 1,
      level: 'low',
      factors: ['low blast radius (+1)'],
    });
  });

  it('reaches high from medium blast radius plus a migration', () => {
    expect(
      assessRisk({ ...base, blastRadius: 'medium', hasDatabaseMigration: true }),
    ).toMatchObject({ score: 6, level: 'high' });
  });

  it('puts the level boundaries at 3 (medium) and 6 (high)', () => {
    // low blast radius (1) + extra services (up to 3) + migration (3)
    expect(assessRisk({ ...base, services: ['a', 'b'] })).toMatchObject({ score: 2, level: 'low' });
    expect(assessRisk({ ...base, services: ['a', 'b', 'c'] })).toMatchObject({
      score: 3,
      level: 'medium',
    });
    expect(
      assessRisk({ ...base, hasDatabaseMigration: true, services: ['a', 'b', 'c'] }),
    ).toMatchObject({ score: 6, level: 'high' });
    expect(assessRisk({ ...base, hasDatabaseMigration: true, services: ['a', 'b'] })).toMatchObject(
      { score: 5, level: 'medium' },
    );
  });

  it('adds every factor up', () => {
    expect(
      assessRisk({ blastRadius: 'high', hasDatabaseMigration: true, services: ['a', 'b', 'c'] }),
    ).toEqual({
      score: 11,
      level: 'high',
      factors: [
        'high blast radius (+6)',
        'includes a database migration (+3)',
        'touches 3 services (+2)',
      ],
    });
  });
});

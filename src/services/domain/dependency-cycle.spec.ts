import { emptyCatalog, type Catalog, type CatalogEntry } from './catalog-state';
import { findDependencyCycle } from './dependency-cycle';

function catalogOf(edges: Record<string, string[]>): Catalog {
  const entries = Object.entries(edges).map(([name, dependsOn]): [string, CatalogEntry] => [
    name,
    { name, owner: 't', tier: 1, dependsOn, registeredAt: '', updatedAt: '' },
  ]);
  return new Map([...emptyCatalog, ...entries]);
}

describe('finding the dependency cycle a change would close', () => {
  // a → b → d, a → c → d: a diamond, no cycle
  const diamond = catalogOf({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] });

  it('finds none in a diamond, however the shared node is reached', () => {
    expect(findDependencyCycle(diamond, 'a', ['b', 'c'])).toBeNull();
    expect(findDependencyCycle(diamond, 'b', ['c'])).toBeNull();
  });

  it('finds the loop through the changed service, always the same one', () => {
    // d → a closes both a → b → d → a and a → c → d → a; b comes first by name.
    expect(findDependencyCycle(diamond, 'd', ['a'])).toEqual(['d', 'a', 'b', 'd']);
  });

  it('uses the new dependencies of the changed service, not its recorded ones', () => {
    expect(findDependencyCycle(diamond, 'a', [])).toBeNull();
    expect(findDependencyCycle(catalogOf({ a: [], b: ['a'] }), 'a', ['b'])).toEqual([
      'a',
      'b',
      'a',
    ]);
  });
});

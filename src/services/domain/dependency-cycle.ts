import type { Catalog } from './catalog-state';

/**
 * The loop that giving `service` these dependencies would close, as a path that starts and
 * ends with `service` (["a", "b", "a"]), or null. The catalog is acyclic before the change,
 * so any new loop passes through `service`: a search from its dependencies back to it finds
 * it. Dependencies are followed in name order, so the same catalog always names the same loop.
 */
export function findDependencyCycle(
  catalog: Catalog,
  service: string,
  dependsOn: readonly string[],
): string[] | null {
  const dependenciesOf = (name: string) =>
    name === service ? dependsOn : (catalog.get(name)?.dependsOn ?? []);
  const explored = new Set<string>();
  const path = [service];
  const reachesService = (name: string): boolean => {
    path.push(name);
    if (name === service) return true;
    if (!explored.has(name)) {
      explored.add(name);
      if ([...dependenciesOf(name)].sort().some(reachesService)) return true;
    }
    path.pop();
    return false;
  };
  return [...dependsOn].sort().some(reachesService) ? path : null;
}

import type { CatalogCommand } from './catalog-commands';
import type { CatalogEvent, ServiceDefinition } from './catalog-events';
import { CatalogRefusal } from './catalog-refusal';
import type { Decider } from '../../kernel/decider';
import { emptyCatalog, evolveCatalog, type Catalog, type CatalogEntry } from './catalog-state';
import { findDependencyCycle } from './dependency-cycle';

/**
 * Decides a catalog command: the events to record, or a CatalogRefusal. A service may only
 * depend on registered services (so a typo cannot pass for a dependency, and the graph has no
 * dangling edges), and never so that the dependency graph gets a cycle. Pure.
 */
export function decideCatalog(command: CatalogCommand, catalog: Catalog): CatalogEvent[] {
  const { actor, at } = command;
  const { name } = command.service;
  const definition: ServiceDefinition = {
    ...command.service,
    dependsOn: [...new Set(command.service.dependsOn)].sort(),
  };
  const existing = catalog.get(name);
  if (command.kind === 'RegisterService' && existing) {
    throw new CatalogRefusal('service-exists', `service ${name} is already registered`);
  }
  if (command.kind === 'UpdateService' && !existing) {
    throw new CatalogRefusal('service-not-found', `service ${name} is not registered`);
  }
  // A service naming itself is a cycle, not an unknown dependency.
  const unknown = definition.dependsOn.filter((d) => d !== name && !catalog.has(d));
  if (unknown.length > 0) {
    throw new CatalogRefusal(
      'unknown-dependency',
      `${name} cannot depend on ${unknown.join(', ')}: not a registered service (register it first)`,
    );
  }
  const cycle = findDependencyCycle(catalog, name, definition.dependsOn);
  if (cycle) {
    throw new CatalogRefusal(
      'dependency-cycle',
      `${name} cannot depend on ${cycle[1]}: that would close the dependency cycle ${cycle.join(' → ')}`,
      cycle,
    );
  }
  if (existing && isSameDefinition(existing, definition)) return [];
  return command.kind === 'RegisterService'
    ? [{ type: 'ServiceRegistered', data: { ...definition, registeredBy: actor.id, at } }]
    : [{ type: 'ServiceUpdated', data: { ...definition, updatedBy: actor.id, at } }];
}

/** An update that changes nothing records nothing. */
function isSameDefinition(entry: CatalogEntry, definition: ServiceDefinition): boolean {
  return (
    entry.owner === definition.owner &&
    entry.tier === definition.tier &&
    entry.dependsOn.join('\n') === definition.dependsOn.join('\n')
  );
}

/** The service catalog's rules: one stream, every service on it. */
export const catalogDecider: Decider<CatalogCommand, CatalogEvent, Catalog> = {
  initialState: emptyCatalog,
  decide: decideCatalog,
  evolve: evolveCatalog,
};

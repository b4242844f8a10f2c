import type { CatalogEvent, ServiceDefinition } from './catalog-events';

export interface CatalogEntry extends ServiceDefinition {
  readonly registeredAt: string;
  readonly updatedAt: string;
}

/** The whole catalog, by service name: one stream holds it, so one revision guards it. */
export type Catalog = ReadonlyMap<string, CatalogEntry>;

export const emptyCatalog: Catalog = new Map();

/** Applies one recorded catalog event; events are facts, nothing is re-checked. */
export function evolveCatalog(catalog: Catalog, event: CatalogEvent): Catalog {
  const { name, owner, tier, dependsOn, at } = event.data;
  const registeredAt =
    event.type === 'ServiceRegistered' ? at : (catalog.get(name)?.registeredAt ?? at);
  return new Map(catalog).set(name, {
    name,
    owner,
    tier,
    dependsOn,
    registeredAt,
    updatedAt: at,
  });
}

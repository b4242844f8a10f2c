/** How critical a service is: 1 is the most critical (customer-facing, revenue), 4 the least. */
export const SERVICE_TIERS = [1, 2, 3, 4] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** What the catalog says about one service; `dependsOn` names the services it calls. */
export interface ServiceDefinition {
  readonly name: string;
  /** The team that owns the service; delivery metrics are grouped by it. */
  readonly owner: string;
  readonly tier: ServiceTier;
  /** Sorted, without duplicates: the same dependencies always read the same way. */
  readonly dependsOn: readonly string[];
}

export interface ServiceRegisteredData extends ServiceDefinition {
  readonly registeredBy: string;
  readonly at: string;
}

export interface ServiceUpdatedData extends ServiceDefinition {
  readonly updatedBy: string;
  readonly at: string;
}

export type CatalogEvent =
  | { readonly type: 'ServiceRegistered'; readonly data: ServiceRegisteredData }
  | { readonly type: 'ServiceUpdated'; readonly data: ServiceUpdatedData };

export const CATALOG_EVENT_TYPES: ReadonlySet<string> = new Set<CatalogEvent['type']>([
  'ServiceRegistered',
  'ServiceUpdated',
]);

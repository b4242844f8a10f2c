import type { SqlClient } from '../../sql/sql-client';
import type { ServiceTier } from '../domain/catalog-events';
import type { CatalogEntry } from '../domain/catalog-state';
import {
  MAX_DEPENDENCY_DEPTH,
  walkDependenciesFrom,
  type DependencyStep,
  type Direction,
} from './dependency-edges';

interface ServiceRow {
  readonly name: string;
  readonly owner: string;
  readonly tier: ServiceTier;
  readonly depends_on: string[];
  readonly registered_at: Date;
  readonly updated_at: Date;
}

function toEntry(row: ServiceRow): CatalogEntry {
  return {
    name: row.name,
    owner: row.owner,
    tier: row.tier,
    dependsOn: row.depends_on,
    registeredAt: row.registered_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface RelatedService extends DependencyStep {
  readonly owner: string;
  readonly tier: ServiceTier;
}

/** Reads of the service graph read model. */
export class ServiceCatalogQueries {
  constructor(private readonly sql: SqlClient) {}

  async list(owner?: string): Promise<CatalogEntry[]> {
    const rows = await this.sql.query<ServiceRow>(
      'SELECT * FROM service_catalog WHERE ($1::text IS NULL OR owner = $1) ORDER BY name',
      [owner ?? null],
    );
    return rows.map(toEntry);
  }

  async find(name: string): Promise<CatalogEntry | null> {
    const [row] = await this.sql.query<ServiceRow>(
      'SELECT * FROM service_catalog WHERE name = $1',
      [name],
    );
    return row ? toEntry(row) : null;
  }

  /** Names of the services a team owns. */
  async ownedBy(team: string): Promise<string[]> {
    return (await this.list(team)).map((service) => service.name);
  }

  /** Services reachable from `name` up to `depth` edges away, with their owner and tier. */
  async related(name: string, direction: Direction, depth: number): Promise<RelatedService[]> {
    const [related] = await this.relatedToEach([name], direction, depth);
    return related;
  }

  /** `related` for each of many services, in two statements whatever their number. */
  async relatedToEach(
    names: readonly string[],
    direction: Direction,
    depth: number,
  ): Promise<RelatedService[][]> {
    const walks = await walkDependenciesFrom(
      this.sql,
      'service_dependencies',
      direction,
      names,
      Math.min(depth, MAX_DEPENDENCY_DEPTH),
    );
    const reached = [...new Set(walks.flat().map((s) => s.service))];
    // Most services reach nothing in one direction: no details to look up, no round trip.
    if (reached.length === 0) return walks.map(() => []);
    const rows = await this.sql.query<Pick<ServiceRow, 'name' | 'owner' | 'tier'>>(
      'SELECT name, owner, tier FROM service_catalog WHERE name = ANY($1::text[])',
      [reached],
    );
    const details = new Map(rows.map((row) => [row.name, row]));
    // Edges and services are written in one transaction, so every step has its service row.
    return walks.map((steps) =>
      steps.flatMap((step) => {
        const service = details.get(step.service);
        return service ? [{ ...step, owner: service.owner, tier: service.tier }] : [];
      }),
    );
  }
}

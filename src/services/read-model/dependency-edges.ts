import type { RecordedEvent } from '../../ledger/ledger-event';
import type { SqlClient } from '../../sql/sql-client';
import { CATALOG_EVENT_TYPES, type CatalogEvent } from '../domain/catalog-events';
import { SERVICE_CATALOG_STREAM } from '../domain/catalog-stream';

/**
 * Tables of (service, depends_on) edges. The service graph owns one; the incident correlation
 * read model keeps its own copy, so the suspects it stores when an alert fires depend only on
 * the feed up to that alert, whichever read model has caught up further.
 */
export type DependencyTable = 'service_dependencies' | 'incident_dependencies';

/** Deep enough for any real service graph; every walk is bounded by it. */
export const MAX_DEPENDENCY_DEPTH = 10;

export function dependencyTableScript(table: DependencyTable): string {
  return `
    CREATE TABLE ${table} (
      service text NOT NULL,
      depends_on text NOT NULL,
      PRIMARY KEY (service, depends_on)
    );
    CREATE INDEX ${table}_reverse_idx ON ${table} (depends_on, service);`;
}

/** The catalog event a feed event is, if it is one. */
export function catalogEventOf(event: RecordedEvent): CatalogEvent | null {
  return event.streamId === SERVICE_CATALOG_STREAM && CATALOG_EVENT_TYPES.has(event.type)
    ? ({ type: event.type, data: event.data } as unknown as CatalogEvent)
    : null;
}

/** A registration or update replaces all of the service's edges. */
export async function replaceDependencies(
  tx: SqlClient,
  table: DependencyTable,
  { data }: CatalogEvent,
): Promise<void> {
  await tx.query(`DELETE FROM ${table} WHERE service = $1`, [data.name]);
  await tx.query(`INSERT INTO ${table} (service, depends_on) SELECT $1, unnest($2::text[])`, [
    data.name,
    data.dependsOn,
  ]);
}

/** Upstream: what a service depends on; downstream: what depends on it. */
export type Direction = 'upstream' | 'downstream';

export interface DependencyStep {
  readonly service: string;
  /** 1 for a direct dependency (or dependent), 2 for one of its own, and so on. */
  readonly depth: number;
  /** A shortest path from the start to this service, both included. */
  readonly path: readonly string[];
}

const COLUMNS: Record<Direction, { readonly from: string; readonly to: string }> = {
  upstream: { from: 'service', to: 'depends_on' },
  downstream: { from: 'depends_on', to: 'service' },
};

/**
 * Every service reachable from `start` within `maxDepth` edges, at its shortest depth, nearest
 * first.
 */
export async function walkDependencies(
  sql: SqlClient,
  table: DependencyTable,
  direction: Direction,
  start: string,
  maxDepth: number,
): Promise<DependencyStep[]> {
  const [steps] = await walkDependenciesFrom(sql, table, direction, [start], maxDepth);
  return steps;
}

/**
 * `walkDependencies` from each of many starts, in one statement. The recursion keeps (start,
 * service, depth, predecessor) rows, not whole paths, so a graph full of diamonds costs
 * edges × depth rows per start rather than one row per path.
 */
export async function walkDependenciesFrom(
  sql: SqlClient,
  table: DependencyTable,
  direction: Direction,
  starts: readonly string[],
  maxDepth: number,
): Promise<DependencyStep[][]> {
  const { from, to } = COLUMNS[direction];
  const rows = await sql.query<{ nth: number; service: string; depth: number; via: string }>(
    `WITH RECURSIVE walk(nth, origin, service, depth, via) AS (
       SELECT s.nth::integer, s.origin, s.origin, 0, NULL::text
       FROM unnest($1::text[]) WITH ORDINALITY AS s(origin, nth)
       UNION
       SELECT w.nth, w.origin, e.${to}, w.depth + 1, w.service
       FROM walk w JOIN ${table} e ON e.${from} = w.service
       WHERE w.depth < $2
     )
     SELECT DISTINCT ON (nth, service) nth, service, depth, via FROM walk
     WHERE service <> origin
     ORDER BY nth, service, depth, via`,
    [starts, maxDepth],
  );
  const found = starts.map((): Array<{ service: string; depth: number; via: string }> => []);
  for (const { nth, ...row } of rows) found[nth - 1].push(row);
  return found.map((walked, i) => shortestPaths(starts[i], walked));
}

/** The predecessor on a shortest path is itself at depth - 1, so paths rebuild nearest first. */
function shortestPaths(
  start: string,
  rows: ReadonlyArray<{ service: string; depth: number; via: string }>,
): DependencyStep[] {
  const byDepth = [...rows].sort((a, b) => a.depth - b.depth || compareText(a.service, b.service));
  const paths = new Map<string, readonly string[]>([[start, [start]]]);
  return byDepth.map(({ service, depth, via }) => {
    const path = [...(paths.get(via) ?? [start]), service];
    paths.set(service, path);
    return { service, depth, path };
  });
}

/** Code-point order, the same on every machine whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

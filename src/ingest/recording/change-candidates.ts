import { whileSqlReachable } from '../../ledger/store-reachable';
import type { SqlClient } from '../../sql/sql-client';
import type { DeploymentObservation } from '../observation';

/**
 * Per (service, environment), the changes that may be what a deploy there is delivering, newest
 * first, in-flight ones first: at most 20 each, one index lookup each, all in one query.
 */
const CANDIDATES = `
  SELECT p.service, p.environment, c.change_id
  FROM unnest($1::text[], $2::text[]) AS p(service, environment)
  CROSS JOIN LATERAL (
    SELECT change_id::text AS change_id, status = 'deploying' AS deploying, requested_at
    FROM change_catalog
    WHERE services @> ARRAY[p.service] AND environment = p.environment
      AND status IN ('approved', 'scheduled', 'deploying', 'deployed', 'verified')
    ORDER BY (status = 'deploying') DESC, requested_at DESC
    LIMIT 20) c
  ORDER BY c.deploying DESC, c.requested_at DESC`;

const keyOf = (service: string, environment: string) => JSON.stringify([service, environment]);

/** Whether matching the deploy to a change asks the catalog: it names none, but says what it ran. */
export function needsCandidates(deploy: DeploymentObservation): boolean {
  return (
    deploy.changeId === undefined && (deploy.commit !== undefined || deploy.version !== undefined)
  );
}

/**
 * The catalog's candidates for a batch of deploys, looked up once for the batch rather than
 * once per deploy. The catalog is a projection, behind the ledger anyway; the candidate found
 * is checked against the change's own stream before anything is decided.
 */
export class ChangeCandidates {
  private constructor(private readonly byPlace: ReadonlyMap<string, readonly string[]>) {}

  static readonly NONE = new ChangeCandidates(new Map());

  static async lookUp(
    sql: SqlClient,
    deploys: readonly DeploymentObservation[],
  ): Promise<ChangeCandidates> {
    const places = new Map<string, [string, string]>();
    for (const { service, environment } of deploys.filter(needsCandidates)) {
      places.set(keyOf(service, environment), [service, environment]);
    }
    if (places.size === 0) return ChangeCandidates.NONE;
    // The catalog shares the server with the ledger (but for EventStoreDB): when it is out of
    // reach, recording waits as for the store.
    const rows = await whileSqlReachable(() =>
      sql.query<{ service: string; environment: string; change_id: string }>(CANDIDATES, [
        [...places.values()].map(([s]) => s),
        [...places.values()].map(([, e]) => e),
      ]),
    );
    const byPlace = new Map<string, string[]>();
    for (const { service, environment, change_id } of rows) {
      const key = keyOf(service, environment);
      byPlace.set(key, [...(byPlace.get(key) ?? []), change_id]);
    }
    return new ChangeCandidates(byPlace);
  }

  of(deploy: DeploymentObservation): readonly string[] {
    return this.byPlace.get(keyOf(deploy.service, deploy.environment)) ?? [];
  }
}

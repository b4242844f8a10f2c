import { EPOCH_MS } from '../incidents/read-model/timeline-queries';
import type { SqlClient } from '../sql/sql-client';
import type { DeliveredDeployment } from './domain/delivery-metrics';

/** Which deployments to fetch: of these services (null: all) in one environment, in [from, to). */
export interface DeploymentsAsked {
  readonly services: readonly string[] | null;
  readonly environment: string;
  readonly from: number;
  readonly to: number;
}

/**
 * Deployments of the incident correlation read model that went live in [from, to), with the
 * earliest merge matching each (by change id, or by commit: one a prefix of the other, at
 * least 7 characters) and whether an alert is attributed to it. `services` null means all.
 */
export async function deliveredDeployments(
  sql: SqlClient,
  services: readonly string[] | null,
  environment: string,
  from: number,
  to: number,
): Promise<DeliveredDeployment[]> {
  const [deployments] = await deliveredDeploymentsOf(sql, [{ services, environment, from, to }]);
  return deployments;
}

/** What `deliveredDeployments` answers for each of many asks, in one statement. */
export async function deliveredDeploymentsOf(
  sql: SqlClient,
  asked: readonly DeploymentsAsked[],
): Promise<DeliveredDeployment[][]> {
  const rows = await sql.query<DeliveredDeployment & { nth: number }>(
    `SELECT r.nth, d.deployment_key AS "deploymentKey", d.service, d.environment,
            ${EPOCH_MS('d.started_at')} AS "startedAt",
            ${EPOCH_MS('d.deployed_at')} AS "deployedAt",
            ${EPOCH_MS('d.rolled_back_at')} AS "rolledBackAt",
            ${EPOCH_MS('d.requested_at')} AS "requestedAt",
            (SELECT ${EPOCH_MS('min(m.merged_at)')} FROM deployment_merges m
             WHERE m.change_id = d.change_id
                OR (m.commit_prefix = d.commit_prefix
                    AND (starts_with(m.commit, d.commit) OR starts_with(d.commit, m.commit)))
            ) AS "mergedAt",
            EXISTS (SELECT 1 FROM incident_alerts a WHERE a.attributed_to = d.deployment_key)
              AS "failedByAlert"
     FROM jsonb_to_recordset($1::jsonb)
            AS r(nth integer, services text[], environment text, "from" timestamptz,
                 "to" timestamptz)
     JOIN deployment_timeline d
       ON (r.services IS NULL OR d.service = ANY(r.services)) AND d.environment = r.environment
      AND ((d.deployed_at >= r."from" AND d.deployed_at < r."to")
           OR (d.deployed_at IS NULL AND d.rolled_back_at IS NOT NULL
               AND d.started_at >= r."from" AND d.started_at < r."to"))`,
    [
      JSON.stringify(
        asked.map(({ services, environment, from, to }, nth) => ({
          nth,
          services,
          environment,
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
        })),
      ),
    ],
  );
  const found = asked.map((): DeliveredDeployment[] => []);
  for (const { nth, ...deployment } of rows) found[nth].push(deployment);
  return found;
}

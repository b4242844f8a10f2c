import { EPOCH_MS } from '../incidents/read-model/timeline-queries';
import type { SqlClient } from '../sql/sql-client';
import type { DeliveredDeployment } from './domain/delivery-metrics';

/**
 * Deployments of the incident correlation read model that went live in [from, to), with the
 * earliest merge matching each (by change id, or by commit: one a prefix of the other, at
 * least 7 characters) and whether an alert is attributed to it. `services` null means all.
 */
export function deliveredDeployments(
  sql: SqlClient,
  services: readonly string[] | null,
  environment: string,
  from: number,
  to: number,
): Promise<DeliveredDeployment[]> {
  return sql.query<DeliveredDeployment>(
    `SELECT d.deployment_key AS "deploymentKey", d.service, d.environment,
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
     FROM deployment_timeline d
     WHERE ($1::text[] IS NULL OR d.service = ANY($1::text[])) AND d.environment = $2
       AND ((d.deployed_at >= $3 AND d.deployed_at < $4)
            OR (d.deployed_at IS NULL AND d.rolled_back_at IS NOT NULL
                AND d.started_at >= $3 AND d.started_at < $4))`,
    [services, environment, new Date(from).toISOString(), new Date(to).toISOString()],
  );
}

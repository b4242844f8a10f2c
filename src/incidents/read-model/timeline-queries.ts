import { MAX_DEPENDENCY_DEPTH, walkDependencies } from '../../services/read-model/dependency-edges';
import type { SqlClient } from '../../sql/sql-client';
import {
  whatChangedBefore,
  type Suspect,
  type TimelineDeployment,
  type UpstreamService,
  type WhatChangedQuestion,
  windowStart,
} from '../domain/what-changed';

/** Timestamps leave SQL as epoch milliseconds, the unit the domain computes in. */
export const EPOCH_MS = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

const SELECT_DEPLOYMENT = `
  SELECT deployment_key AS "deploymentKey", service, environment, change_id AS "changeId",
         title, unplanned, version, commit, risk_level AS "riskLevel",
         ${EPOCH_MS('started_at')} AS "startedAt", ${EPOCH_MS('deployed_at')} AS "deployedAt",
         ${EPOCH_MS('rolled_back_at')} AS "rolledBackAt"
  FROM deployment_timeline`;

/**
 * Deployments of these services that started, completed or were rolled back in [from, at]:
 * three bounded range scans on the (service, time) indexes, whatever the history's length.
 */
export function deploymentsMovedBetween(
  sql: SqlClient,
  services: readonly string[],
  environment: string | null,
  from: number,
  at: number,
): Promise<TimelineDeployment[]> {
  return sql.query<TimelineDeployment>(
    `${SELECT_DEPLOYMENT}
     WHERE service = ANY($1::text[]) AND ($2::text IS NULL OR environment = $2)
       AND (started_at BETWEEN $3 AND $4 OR deployed_at BETWEEN $3 AND $4
            OR rolled_back_at BETWEEN $3 AND $4)`,
    [services, environment, new Date(from).toISOString(), new Date(at).toISOString()],
  );
}

export interface WhatChangedAnswer {
  readonly upstream: UpstreamService[];
  readonly suspects: Suspect[];
}

/**
 * The suspects for an alert on `question.service` (in `environment`, when known), from the
 * incident correlation read model's own dependency edges and timeline.
 */
export async function whatChanged(
  sql: SqlClient,
  question: WhatChangedQuestion,
  environment: string | null,
): Promise<WhatChangedAnswer> {
  const upstream = await walkDependencies(
    sql,
    'incident_dependencies',
    'upstream',
    question.service,
    MAX_DEPENDENCY_DEPTH,
  );
  const deployments = await deploymentsMovedBetween(
    sql,
    [question.service, ...upstream.map((u) => u.service)],
    environment,
    windowStart(question),
    question.at,
  );
  return { upstream, suspects: whatChangedBefore(question, upstream, deployments) };
}

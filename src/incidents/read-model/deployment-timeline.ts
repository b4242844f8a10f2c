import { CHANGE_STREAM_PREFIX } from '../../changes/application/change-stream';
import type {
  ChangeDeployedData,
  ChangeRequestedData,
  ChangeRolledBackData,
  DeploymentStartedData,
  RiskAssessedData,
} from '../../changes/domain/events';
import type {
  ChangeMergedData,
  DeploymentObservedData,
  UnplannedDeploymentDetectedData,
} from '../../deployments/domain/service-events';
import type { RecordedEvent } from '../../ledger/ledger-event';
import type { SqlClient } from '../../sql/sql-client';

/** Commits are compared by prefix, as the deploy matcher does; shorter ones identify nothing. */
const MIN_COMMIT_PREFIX = 7;

export const DEPLOYMENT_TIMELINE_TABLES = [
  'deployment_changes',
  'deployment_timeline',
  'deployment_observed_phase',
  'deployment_merges',
] as const;

export const DEPLOYMENT_TIMELINE_SCRIPT = `
  -- What a change will deploy, kept from its request until it starts deploying.
  CREATE TABLE deployment_changes (
    change_id text PRIMARY KEY,
    title text NOT NULL,
    services text[] NOT NULL,
    environment text NOT NULL,
    commit text,
    risk_level text,
    requested_at timestamptz NOT NULL
  );
  -- One row per deployment of a change (or unplanned deploy) to one service.
  CREATE TABLE deployment_timeline (
    deployment_key text NOT NULL,
    service text NOT NULL,
    environment text NOT NULL,
    change_id text,
    unplanned boolean NOT NULL,
    title text,
    version text,
    commit text,
    commit_prefix text,
    risk_level text,
    requested_at timestamptz,
    started_at timestamptz NOT NULL,
    deployed_at timestamptz,
    rolled_back_at timestamptz,
    PRIMARY KEY (deployment_key, service)
  );
  CREATE INDEX deployment_timeline_started_idx ON deployment_timeline (service, started_at);
  CREATE INDEX deployment_timeline_deployed_idx ON deployment_timeline (service, deployed_at)
    WHERE deployed_at IS NOT NULL;
  CREATE INDEX deployment_timeline_rolled_back_idx ON deployment_timeline (service, rolled_back_at)
    WHERE rolled_back_at IS NOT NULL;
  -- The phase of the last deploy observed on each service stream: an unplanned-deploy finding
  -- follows its observation on the same stream and does not repeat the phase.
  CREATE TABLE deployment_observed_phase (
    stream_id text PRIMARY KEY,
    phase text NOT NULL
  );
  CREATE TABLE deployment_merges (
    event_id uuid PRIMARY KEY,
    commit text,
    commit_prefix text,
    change_id text,
    merged_at timestamptz NOT NULL
  );
  CREATE INDEX deployment_merges_commit_idx ON deployment_merges (commit_prefix);
  CREATE INDEX deployment_merges_change_idx ON deployment_merges (change_id);
`;

function commitPrefix(commit: string | null | undefined): string | null {
  return commit && commit.length >= MIN_COMMIT_PREFIX
    ? commit.slice(0, MIN_COMMIT_PREFIX).toLowerCase()
    : null;
}

const PREFIX_OF = (commit: string) =>
  `CASE WHEN length(${commit}) >= ${MIN_COMMIT_PREFIX} THEN left(${commit}, ${MIN_COMMIT_PREFIX}) END`;

const lower = (commit: string | null | undefined) => commit?.toLowerCase() ?? null;

/** Applies one feed event to the deployment timeline, if it is about deployments. */
export async function applyToTimeline(tx: SqlClient, event: RecordedEvent): Promise<void> {
  if (event.streamId.startsWith(CHANGE_STREAM_PREFIX)) {
    await applyChangeEvent(tx, event.streamId.slice(CHANGE_STREAM_PREFIX.length), event);
    return;
  }
  switch (event.type) {
    case 'DeploymentObserved':
      return observed(tx, event.streamId, event.data as unknown as DeploymentObservedData, event);
    case 'UnplannedDeploymentDetected':
      return unplanned(
        tx,
        event.streamId,
        event.data as unknown as UnplannedDeploymentDetectedData,
        event,
      );
    case 'ChangeMerged':
      return merged(tx, event.data as unknown as ChangeMergedData, event.eventId);
  }
}

async function applyChangeEvent(tx: SqlClient, changeId: string, event: RecordedEvent) {
  const key = `change:${changeId}`;
  switch (event.type) {
    case 'ChangeRequested': {
      const { request, at } = event.data as unknown as ChangeRequestedData;
      // Ingest lower-cases the services it hears about; a change must name them the same way.
      const services = [...new Set(request.services.map((s) => s.trim().toLowerCase()))];
      await tx.query(
        `INSERT INTO deployment_changes
           (change_id, title, services, environment, commit, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (change_id) DO NOTHING`,
        [
          changeId,
          request.title,
          services,
          request.environment,
          lower(request.externalRefs?.commit),
          at,
        ],
      );
      return;
    }
    case 'RiskAssessed': {
      const { level } = event.data as unknown as RiskAssessedData;
      await tx.query('UPDATE deployment_changes SET risk_level = $2 WHERE change_id = $1', [
        changeId,
        level,
      ]);
      return;
    }
    case 'DeploymentStarted': {
      const { version, commit, at } = event.data as unknown as DeploymentStartedData;
      await tx.query(
        `INSERT INTO deployment_timeline (deployment_key, service, environment, change_id,
           unplanned, title, version, commit, commit_prefix, risk_level, requested_at, started_at)
         SELECT $2, service, c.environment, c.change_id, false, c.title, $3,
                COALESCE($4, c.commit), ${PREFIX_OF('COALESCE($4, c.commit)')},
                c.risk_level, c.requested_at, $5
         FROM deployment_changes c, unnest(c.services) AS service
         WHERE c.change_id = $1
         ON CONFLICT (deployment_key, service) DO NOTHING`,
        [changeId, key, version ?? null, lower(commit), at],
      );
      return;
    }
    case 'ChangeDeployed': {
      const { version, commit, at } = event.data as unknown as ChangeDeployedData;
      await tx.query(
        `UPDATE deployment_timeline SET deployed_at = $2, version = COALESCE($3, version),
           commit = COALESCE($4, commit), commit_prefix = COALESCE($5, commit_prefix)
         WHERE deployment_key = $1`,
        [key, at, version ?? null, lower(commit), commitPrefix(commit)],
      );
      return;
    }
    case 'ChangeRolledBack': {
      const { at } = event.data as unknown as ChangeRolledBackData;
      await tx.query(
        `UPDATE deployment_timeline SET rolled_back_at = $2
         WHERE deployment_key = $1 AND rolled_back_at IS NULL`,
        [key, at],
      );
      return;
    }
  }
}

/**
 * An unplanned deploy is one deployment across its phases when the sender names it (its
 * deployment id), else by the version or commit it put in place.
 */
function unplannedKey(
  deploy: Pick<
    DeploymentObservedData,
    'service' | 'environment' | 'deploymentId' | 'version' | 'commit'
  >,
  eventId: string,
): string {
  const id = deploy.deploymentId ?? deploy.version ?? deploy.commit ?? eventId;
  return `unplanned:${deploy.service}:${deploy.environment}:${id}`;
}

async function observed(
  tx: SqlClient,
  streamId: string,
  deploy: DeploymentObservedData,
  event: RecordedEvent,
): Promise<void> {
  await tx.query(
    `INSERT INTO deployment_observed_phase (stream_id, phase) VALUES ($1, $2)
     ON CONFLICT (stream_id) DO UPDATE SET phase = $2`,
    [streamId, deploy.phase],
  );
  // A deploy matched to a change moves that change, whose own events the timeline follows.
  if (deploy.changeId !== null) return;
  if (deploy.phase === 'failed') {
    // A failed deployment leaves what ran before running: it ends as a rollback does.
    await tx.query(
      `UPDATE deployment_timeline SET rolled_back_at = $3
       WHERE deployment_key = $1 AND service = $2 AND rolled_back_at IS NULL`,
      [unplannedKey(deploy, event.eventId), deploy.service, deploy.at],
    );
  }
  if (deploy.phase === 'rolledback') {
    // No change was running, so the rollback undoes the latest unplanned deploy still in place.
    await tx.query(
      `UPDATE deployment_timeline SET rolled_back_at = $4
       WHERE (deployment_key, service) IN (
         SELECT deployment_key, service FROM deployment_timeline
         WHERE service = $1 AND environment = $2 AND unplanned AND rolled_back_at IS NULL
           AND started_at <= $4 AND version IS DISTINCT FROM $3
         ORDER BY COALESCE(deployed_at, started_at) DESC LIMIT 1)`,
      [deploy.service, deploy.environment, deploy.version ?? null, deploy.at],
    );
  }
}

async function unplanned(
  tx: SqlClient,
  streamId: string,
  finding: UnplannedDeploymentDetectedData,
  event: RecordedEvent,
): Promise<void> {
  const [observedPhase] = await tx.query<{ phase: string }>(
    'SELECT phase FROM deployment_observed_phase WHERE stream_id = $1',
    [streamId],
  );
  const rollingOut = observedPhase?.phase === 'started' || observedPhase?.phase === 'stage';
  await tx.query(
    `INSERT INTO deployment_timeline (deployment_key, service, environment, change_id, unplanned,
       title, version, commit, commit_prefix, started_at, deployed_at)
     VALUES ($1, $2, $3, $4, true, (SELECT title FROM deployment_changes WHERE change_id = $4),
             $5, $6, $7, $8, $9)
     ON CONFLICT (deployment_key, service) DO UPDATE
       SET started_at = LEAST(deployment_timeline.started_at, EXCLUDED.started_at),
           deployed_at = COALESCE(deployment_timeline.deployed_at, EXCLUDED.deployed_at)`,
    [
      unplannedKey(finding, event.eventId),
      finding.service,
      finding.environment,
      finding.changeId,
      finding.version ?? null,
      lower(finding.commit),
      commitPrefix(finding.commit),
      finding.at,
      rollingOut ? null : finding.at,
    ],
  );
}

async function merged(tx: SqlClient, merge: ChangeMergedData, eventId: string): Promise<void> {
  if (merge.commit === undefined && merge.changeId === undefined) return;
  await tx.query(
    `INSERT INTO deployment_merges (event_id, commit, commit_prefix, change_id, merged_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING`,
    [eventId, lower(merge.commit), commitPrefix(merge.commit), merge.changeId ?? null, merge.at],
  );
}

import { CHANGE_STREAM_PREFIX } from '../../changes/domain/change-stream';
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
import { commitPrefix, MIN_COMMIT_PREFIX } from '../../deployments/domain/commits';

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

interface PendingChange {
  /** The last risk level assessed in the batch: what a row that existed before it ends with. */
  existingRisk?: string;
  /** The first request in the batch, for a row that did not exist, with the risk after it. */
  insert?: {
    readonly title: string;
    readonly services: string[];
    readonly environment: string;
    readonly commit: string | null;
    readonly requestedAt: string;
    riskLevel: string | null;
  };
}

interface PendingStart {
  readonly changeId: string;
  readonly version: string | null;
  readonly commit: string | null;
  readonly at: string;
}

interface PendingDeployed {
  at: string;
  version: string | null;
  commit: string | null;
  commitPrefix: string | null;
}

/**
 * The timeline writes of a run of feed events, folded per row in memory and written with a few
 * `unnest` statements: the same rows as applying the events one at a time. Events whose
 * effect reads what the run has not written yet are not taken (`add` answers false): the
 * caller flushes, then applies them one at a time.
 */
export class TimelineBatch {
  private readonly changes = new Map<string, PendingChange>();
  private readonly starts = new Map<string, PendingStart>();
  private readonly deployed = new Map<string, PendingDeployed>();
  private readonly rolledBack = new Map<string, string>();
  private readonly phases = new Map<string, string>();
  private readonly merges = new Map<
    string,
    { commit: string | null; prefix: string | null; changeId: string | null; at: string }
  >();

  get empty(): boolean {
    return (
      this.changes.size +
        this.starts.size +
        this.deployed.size +
        this.rolledBack.size +
        this.phases.size +
        this.merges.size ===
      0
    );
  }

  /**
   * Takes the event's timeline writes into the batch, or answers false when the event must be
   * applied on its own after a flush (it reads the tables, or would be reordered with a
   * pending write of the same row).
   */
  add(event: RecordedEvent): boolean {
    if (event.streamId.startsWith(CHANGE_STREAM_PREFIX)) {
      return this.addChangeEvent(event.streamId.slice(CHANGE_STREAM_PREFIX.length), event);
    }
    switch (event.type) {
      case 'DeploymentObserved': {
        const deploy = event.data as unknown as DeploymentObservedData;
        if (
          deploy.changeId === null &&
          (deploy.phase === 'failed' || deploy.phase === 'rolledback')
        )
          return false;
        this.phases.set(event.streamId, deploy.phase);
        return true;
      }
      case 'UnplannedDeploymentDetected':
        return false;
      case 'ChangeMerged': {
        const merge = event.data as unknown as ChangeMergedData;
        if (merge.commit === undefined && merge.changeId === undefined) return true;
        if (!this.merges.has(event.eventId)) {
          this.merges.set(event.eventId, {
            commit: lower(merge.commit),
            prefix: commitPrefix(merge.commit),
            changeId: merge.changeId ?? null,
            at: merge.at,
          });
        }
        return true;
      }
    }
    return true;
  }

  private addChangeEvent(changeId: string, event: RecordedEvent): boolean {
    const key = `change:${changeId}`;
    switch (event.type) {
      case 'ChangeRequested': {
        // A start pending for this change must read the row as it was before this event.
        if (this.startPendingFor(changeId)) return false;
        const { request, at } = event.data as unknown as ChangeRequestedData;
        const pending = this.changeOf(changeId);
        pending.insert ??= {
          title: request.title,
          services: [...new Set(request.services.map((s) => s.trim().toLowerCase()))],
          environment: request.environment,
          commit: lower(request.externalRefs?.commit),
          requestedAt: at,
          riskLevel: null,
        };
        return true;
      }
      case 'RiskAssessed': {
        if (this.startPendingFor(changeId)) return false;
        const { level } = event.data as unknown as RiskAssessedData;
        const pending = this.changeOf(changeId);
        pending.existingRisk = level;
        if (pending.insert) pending.insert.riskLevel = level;
        return true;
      }
      case 'DeploymentStarted': {
        // Inserts are written before updates: an update pending for this row must go first.
        if (this.deployed.has(key) || this.rolledBack.has(key)) return false;
        const { version, commit, at } = event.data as unknown as DeploymentStartedData;
        if (!this.starts.has(key)) {
          this.starts.set(key, { changeId, version: version ?? null, commit: lower(commit), at });
        }
        return true;
      }
      case 'ChangeDeployed': {
        const { version, commit, at } = event.data as unknown as ChangeDeployedData;
        const previous = this.deployed.get(key);
        this.deployed.set(key, {
          at,
          version: version ?? previous?.version ?? null,
          commit: lower(commit) ?? previous?.commit ?? null,
          commitPrefix: commitPrefix(commit) ?? previous?.commitPrefix ?? null,
        });
        return true;
      }
      case 'ChangeRolledBack': {
        const { at } = event.data as unknown as ChangeRolledBackData;
        if (!this.rolledBack.has(key)) this.rolledBack.set(key, at);
        return true;
      }
    }
    return true;
  }

  private startPendingFor(changeId: string): boolean {
    const start = this.starts.get(`change:${changeId}`);
    return start !== undefined && start.changeId === changeId;
  }

  private changeOf(changeId: string): PendingChange {
    let pending = this.changes.get(changeId);
    if (!pending) {
      pending = {};
      this.changes.set(changeId, pending);
    }
    return pending;
  }

  /** Writes what the batch holds, in an order that gives the rows of the events one by one. */
  async flush(tx: SqlClient): Promise<void> {
    if (this.empty) return;
    const risks = [...this.changes].filter(([, c]) => c.existingRisk !== undefined);
    if (risks.length > 0) {
      // Only rows that existed before the batch: the inserts below come after.
      await tx.query(
        `UPDATE deployment_changes c SET risk_level = u.risk_level
         FROM unnest($1::text[], $2::text[]) AS u(change_id, risk_level)
         WHERE c.change_id = u.change_id`,
        [risks.map(([id]) => id), risks.map(([, c]) => c.existingRisk)],
      );
    }
    const inserts = [...this.changes].flatMap(([id, c]) => (c.insert ? [{ id, ...c.insert }] : []));
    if (inserts.length > 0) {
      await tx.query(
        `INSERT INTO deployment_changes
           (change_id, title, services, environment, commit, risk_level, requested_at)
         SELECT change_id, title, ARRAY(SELECT jsonb_array_elements_text(services)), environment,
                commit, risk_level, requested_at
         FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::text[],
                     $7::timestamptz[])
           AS u(change_id, title, services, environment, commit, risk_level, requested_at)
         ON CONFLICT (change_id) DO NOTHING`,
        [
          inserts.map((i) => i.id),
          inserts.map((i) => i.title),
          inserts.map((i) => JSON.stringify(i.services)),
          inserts.map((i) => i.environment),
          inserts.map((i) => i.commit),
          inserts.map((i) => i.riskLevel),
          inserts.map((i) => i.requestedAt),
        ],
      );
    }
    const starts = [...this.starts];
    if (starts.length > 0) {
      await tx.query(
        `INSERT INTO deployment_timeline (deployment_key, service, environment, change_id,
           unplanned, title, version, commit, commit_prefix, risk_level, requested_at, started_at)
         SELECT u.deployment_key, service, c.environment, c.change_id, false, c.title, u.version,
                COALESCE(u.commit, c.commit), ${PREFIX_OF('COALESCE(u.commit, c.commit)')},
                c.risk_level, c.requested_at, u.started_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
           AS u(deployment_key, change_id, version, commit, started_at)
         JOIN deployment_changes c ON c.change_id = u.change_id,
         unnest(c.services) AS service
         ON CONFLICT (deployment_key, service) DO NOTHING`,
        [
          starts.map(([key]) => key),
          starts.map(([, s]) => s.changeId),
          starts.map(([, s]) => s.version),
          starts.map(([, s]) => s.commit),
          starts.map(([, s]) => s.at),
        ],
      );
    }
    const deployed = [...this.deployed];
    if (deployed.length > 0) {
      await tx.query(
        `UPDATE deployment_timeline t SET deployed_at = u.deployed_at,
           version = COALESCE(u.version, t.version), commit = COALESCE(u.commit, t.commit),
           commit_prefix = COALESCE(u.commit_prefix, t.commit_prefix)
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[])
           AS u(deployment_key, deployed_at, version, commit, commit_prefix)
         WHERE t.deployment_key = u.deployment_key`,
        [
          deployed.map(([key]) => key),
          deployed.map(([, d]) => d.at),
          deployed.map(([, d]) => d.version),
          deployed.map(([, d]) => d.commit),
          deployed.map(([, d]) => d.commitPrefix),
        ],
      );
    }
    const rolledBack = [...this.rolledBack];
    if (rolledBack.length > 0) {
      await tx.query(
        `UPDATE deployment_timeline t SET rolled_back_at = u.rolled_back_at
         FROM unnest($1::text[], $2::timestamptz[]) AS u(deployment_key, rolled_back_at)
         WHERE t.deployment_key = u.deployment_key AND t.rolled_back_at IS NULL`,
        [rolledBack.map(([key]) => key), rolledBack.map(([, at]) => at)],
      );
    }
    const phases = [...this.phases];
    if (phases.length > 0) {
      await tx.query(
        `INSERT INTO deployment_observed_phase (stream_id, phase)
         SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (stream_id) DO UPDATE SET phase = EXCLUDED.phase`,
        [phases.map(([id]) => id), phases.map(([, phase]) => phase)],
      );
    }
    const merges = [...this.merges];
    if (merges.length > 0) {
      await tx.query(
        `INSERT INTO deployment_merges (event_id, commit, commit_prefix, change_id, merged_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
         ON CONFLICT (event_id) DO NOTHING`,
        [
          merges.map(([id]) => id),
          merges.map(([, m]) => m.commit),
          merges.map(([, m]) => m.prefix),
          merges.map(([, m]) => m.changeId),
          merges.map(([, m]) => m.at),
        ],
      );
    }
    this.changes.clear();
    this.starts.clear();
    this.deployed.clear();
    this.rolledBack.clear();
    this.phases.clear();
    this.merges.clear();
  }
}

import { CHANGE_STREAM_PREFIX } from '../../changes/domain/change-stream';
import { asChangeEvent } from '../../changes/load-change';
import { CHANGE_EVENT_TYPES } from '../../changes/domain/events';
import {
  SERVICE_STREAM_PREFIX,
  type UnplannedDeploymentDetectedData,
} from '../../deployments/domain/service-events';
import type { RecordedEvent } from '../../ledger/ledger-event';
import type { Projection } from '../../ledger/projection';
import type { SqlClient } from '../../sql/sql-client';
import {
  applyChangeEvent,
  applyUnplannedDeployment,
  type ChangeCompliance,
} from '../domain/change-compliance';
import {
  changeFindings,
  refusedRequestFinding,
  unplannedDeploymentFinding,
  type Finding,
} from '../domain/finding-rules';

const CHANGE_EVENTS = new Set<string>(CHANGE_EVENT_TYPES);

/** What an event of the feed is about, for this read model. */
type Subject =
  | { readonly kind: 'change'; readonly changeId: string }
  | { readonly kind: 'unplanned'; readonly data: UnplannedDeploymentDetectedData };

function subjectOf(event: RecordedEvent): Subject | null {
  if (event.streamId.startsWith(CHANGE_STREAM_PREFIX) && CHANGE_EVENTS.has(event.type)) {
    return { kind: 'change', changeId: event.streamId.slice(CHANGE_STREAM_PREFIX.length) };
  }
  if (
    event.streamId.startsWith(SERVICE_STREAM_PREFIX) &&
    event.type === 'UnplannedDeploymentDetected'
  ) {
    return { kind: 'unplanned', data: event.data as unknown as UnplannedDeploymentDetectedData };
  }
  return null;
}

/**
 * The compliance read model: one record per change (as jsonb, with the columns queries filter
 * on) and one row per finding. A batch is folded in memory and written in four statements
 * whatever its size: load the records it touches, upsert them, delete the findings that no
 * longer hold, insert the new ones. A record is rewritten each time its change moves, so its
 * table leaves room on every page: the update stays on the page (HOT) and skips the indexes.
 */
export const complianceProjection: Projection = {
  name: 'compliance',
  tables: ['compliance_changes', 'compliance_findings'],
  migrations: [
    {
      version: 1,
      script: `
        CREATE TABLE compliance_changes (
          change_id text PRIMARY KEY,
          requested_at timestamptz NOT NULL,
          services text[] NOT NULL,
          record jsonb NOT NULL
        ) WITH (fillfactor = 50);
        CREATE INDEX compliance_changes_requested_idx ON compliance_changes (requested_at, change_id);
        CREATE INDEX compliance_changes_services_idx ON compliance_changes USING gin (services);
        CREATE TABLE compliance_findings (
          finding_id text PRIMARY KEY,
          rule text NOT NULL,
          change_id text,
          services text[] NOT NULL,
          at timestamptz NOT NULL,
          finding jsonb NOT NULL
        );
        CREATE INDEX compliance_findings_at_idx ON compliance_findings (at, finding_id);
        CREATE INDEX compliance_findings_change_idx ON compliance_findings (change_id);
        CREATE INDEX compliance_findings_services_idx ON compliance_findings USING gin (services);
      `,
    },
    {
      version: 2,
      // Records now keep the policy's facts (templates, SLAs, artifacts, emergency deadlines)
      // and refused requests are findings: replay the read model from the first event.
      script: `
        TRUNCATE compliance_changes, compliance_findings;
        DELETE FROM projection_checkpoints WHERE projection = 'compliance';
      `,
    },
  ],

  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    const subjects = events.map(subjectOf);
    if (subjects.every((subject) => subject === null)) return;
    const stored = await loadRecords(tx, subjects);
    const { changed, standalone } = foldBatch(stored, events, subjects);
    // Only the changes the batch moved can have gained or lost findings.
    const before = byId(
      changed.flatMap((record) => {
        const previous = stored.get(record.changeId);
        return previous === undefined ? [] : changeFindings(previous);
      }),
    );
    const after = byId([...changed.flatMap(changeFindings), ...standalone]);
    await saveRecords(tx, changed);
    await deleteFindings(
      tx,
      [...before.keys()].filter((id) => !after.has(id)),
    );
    await insertFindings(
      tx,
      [...after.values()].filter((finding) => !before.has(finding.id)),
    );
  },
};

/** The batch applied to the records it touches, in feed order. */
function foldBatch(
  stored: ReadonlyMap<string, ChangeCompliance>,
  events: readonly RecordedEvent[],
  subjects: readonly (Subject | null)[],
): { changed: ChangeCompliance[]; standalone: Finding[] } {
  const records = new Map(stored);
  const changed = new Map<string, ChangeCompliance>();
  const standalone: Finding[] = [];
  const keep = (record: ChangeCompliance) => {
    records.set(record.changeId, record);
    changed.set(record.changeId, record);
  };
  subjects.forEach((subject, index) => {
    const event = events[index];
    if (subject?.kind === 'change') {
      const previous = records.get(subject.changeId);
      const change = asChangeEvent(event);
      const next = applyChangeEvent(previous, change);
      // Events that change nothing the record holds (verified, deferred) cost no write.
      if (next !== undefined && next !== previous) keep(next);
      if (previous === undefined && change.type === 'CommandRefused') {
        const finding = refusedRequestFinding(subject.changeId, change.data);
        if (finding !== null) standalone.push(finding);
      }
    } else if (subject?.kind === 'unplanned') {
      const { data } = subject;
      const actor = event.metadata.actor;
      const record = data.changeId === null ? undefined : records.get(data.changeId);
      if (record !== undefined) {
        keep(applyUnplannedDeployment(record, data, actor));
      } else {
        const finding = unplannedDeploymentFinding(event.eventId, data, actor);
        if (finding !== null) standalone.push(finding);
      }
    }
  });
  return { changed: [...changed.values()], standalone };
}

function byId(findings: readonly Finding[]): Map<string, Finding> {
  return new Map(findings.map((finding) => [finding.id, finding]));
}

/** The stored records of every change the batch is about. */
async function loadRecords(
  tx: SqlClient,
  subjects: readonly (Subject | null)[],
): Promise<Map<string, ChangeCompliance>> {
  const changeIds = new Set(
    subjects.flatMap((subject) => {
      if (subject?.kind === 'change') return [subject.changeId];
      return subject?.data.changeId ?? [];
    }),
  );
  if (changeIds.size === 0) return new Map();
  const rows = await tx.query<{ record: ChangeCompliance }>(
    'SELECT record FROM compliance_changes WHERE change_id = ANY($1::text[])',
    [[...changeIds]],
  );
  return new Map(rows.map(({ record }) => [record.changeId, record]));
}

async function saveRecords(tx: SqlClient, records: readonly ChangeCompliance[]): Promise<void> {
  if (records.length === 0) return;
  await tx.query(
    `INSERT INTO compliance_changes (change_id, requested_at, services, record)
     SELECT r->>'changeId', (r->>'requestedAt')::timestamptz,
            ARRAY(SELECT jsonb_array_elements_text(r->'services')), r
     FROM jsonb_array_elements($1::jsonb) AS r
     ON CONFLICT (change_id) DO UPDATE SET record = EXCLUDED.record`,
    [JSON.stringify(records)],
  );
}

async function deleteFindings(tx: SqlClient, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query('DELETE FROM compliance_findings WHERE finding_id = ANY($1::text[])', [ids]);
}

async function insertFindings(tx: SqlClient, findings: readonly Finding[]): Promise<void> {
  if (findings.length === 0) return;
  // Ids are unique per fact; should a malformed stream repeat one (a second ChangeRequested),
  // the first copy stands rather than the read model stalling on that batch for ever.
  await tx.query(
    `INSERT INTO compliance_findings (finding_id, rule, change_id, services, at, finding)
     SELECT f->>'id', f->>'rule', f->>'changeId',
            ARRAY(SELECT jsonb_array_elements_text(f->'services')), (f->>'at')::timestamptz, f
     FROM jsonb_array_elements($1::jsonb) AS f
     ON CONFLICT (finding_id) DO NOTHING`,
    [JSON.stringify(findings)],
  );
}

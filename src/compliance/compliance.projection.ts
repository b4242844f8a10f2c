import { CHANGE_STREAM_PREFIX } from '../changes/application/change-stream';
import { asChangeEvent } from '../changes/application/load-change';
import { CHANGE_EVENT_TYPES } from '../changes/domain/events';
import {
  SERVICE_STREAM_PREFIX,
  type UnplannedDeploymentDetectedData,
} from '../deployments/domain/service-events';
import type { RecordedEvent } from '../ledger/ledger-event';
import type { Projection } from '../projections/projection';
import type { SqlClient } from '../sql/sql-client';
import {
  applyChangeEvent,
  applyUnplannedDeployment,
  type ChangeCompliance,
} from './domain/change-compliance';
import { changeFindings, unplannedDeploymentFinding, type Finding } from './domain/finding-rules';

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
  ],

  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    const subjects = events.map(subjectOf);
    const changeIds = new Set<string>();
    for (const subject of subjects) {
      if (subject?.kind === 'change') changeIds.add(subject.changeId);
      if (subject?.kind === 'unplanned' && subject.data.changeId !== null) {
        changeIds.add(subject.data.changeId);
      }
    }
    if (subjects.every((subject) => subject === null)) return;

    const stored = await loadRecords(tx, [...changeIds]);
    const records = new Map(stored);
    const touched = new Set<string>();
    const standalone: Finding[] = [];
    subjects.forEach((subject, index) => {
      const event = events[index];
      if (subject === null) return;
      if (subject.kind === 'change') {
        const previous = records.get(subject.changeId);
        const next = applyChangeEvent(previous, asChangeEvent(event));
        // Events that change nothing the record holds (verified, deferred) cost no write.
        if (next === undefined || next === previous) return;
        records.set(subject.changeId, next);
        touched.add(subject.changeId);
        return;
      }
      const record =
        subject.data.changeId === null ? undefined : records.get(subject.data.changeId);
      if (record === undefined) {
        const finding = unplannedDeploymentFinding(
          event.eventId,
          subject.data,
          event.metadata.actor,
        );
        if (finding !== null) standalone.push(finding);
        return;
      }
      records.set(
        record.changeId,
        applyUnplannedDeployment(record, subject.data, event.metadata.actor),
      );
      touched.add(record.changeId);
    });

    const changed = [...touched].map((id) => records.get(id) as ChangeCompliance);
    const before = new Map(
      [...stored.values()].flatMap((r) => changeFindings(r)).map((f) => [f.id, f]),
    );
    const after = new Map(
      [...changed.flatMap((r) => changeFindings(r)), ...standalone].map((f) => [f.id, f]),
    );
    await saveRecords(tx, changed);
    await deleteFindings(
      tx,
      [...before.keys()].filter((id) => !after.has(id)),
    );
    await insertFindings(
      tx,
      [...after.values()].filter((f) => !before.has(f.id)),
    );
  },
};

async function loadRecords(
  tx: SqlClient,
  changeIds: readonly string[],
): Promise<Map<string, ChangeCompliance>> {
  if (changeIds.length === 0) return new Map();
  const rows = await tx.query<{ record: ChangeCompliance }>(
    'SELECT record FROM compliance_changes WHERE change_id = ANY($1::text[])',
    [changeIds],
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

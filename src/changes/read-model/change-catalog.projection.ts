import type { RecordedEvent } from '../../ledger/ledger-event';
import type { SqlClient } from '../../sql/sql-client';
import { CHANGE_STREAM_PREFIX } from '../domain/change-stream';
import type { ChangeStatus } from '../domain/change-state';
import type { TimeWindow } from '../domain/change-window';
import type { Projection } from '../../ledger/projection';

/** The status a change is in right after each event that moves it. */
const STATUS_AFTER: Partial<Record<string, ChangeStatus>> = {
  ChangeApproved: 'approved',
  ApprovalsInvalidated: 'awaiting-approval',
  ChangeRejected: 'rejected',
  ChangeDeferred: 'deferred',
  ChangeScheduled: 'scheduled',
  DeploymentStarted: 'deploying',
  ChangeDeployed: 'deployed',
  ChangeVerified: 'verified',
  ChangeRolledBack: 'rolled-back',
  ChangeClosed: 'closed',
  ChangeCancelled: 'cancelled',
};

interface RequestedData {
  requestedBy: string;
  at: string;
  request: {
    title: string;
    type: string;
    category: string;
    services: string[];
    environment: string;
    plannedWindow?: TimeWindow;
  };
}

/** A column a batch sets, possibly to null; absent: left as it is. */
type Assigned<T> = { value: T } | undefined;

/** What a batch changes about one change, folded before anything is written. */
interface RowChange {
  requested?: RequestedData;
  status?: string;
  riskLevel?: string;
  route?: string;
  plannedWindow: Assigned<TimeWindow | null>;
  scheduledWindow: Assigned<TimeWindow>;
  approvalDueBy: Assigned<string | null>;
  overdue: Assigned<boolean>;
  updatedAt: string;
  revision: number;
}

function applyEvent(row: RowChange, event: RecordedEvent): void {
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'ChangeRequested': {
      row.requested = data as unknown as RequestedData;
      row.status = 'awaiting-approval';
      row.plannedWindow = { value: row.requested.request.plannedWindow ?? null };
      return;
    }
    case 'RiskAssessed':
      row.riskLevel = data.level as string;
      row.route = data.route as string;
      row.approvalDueBy = { value: (data.approvalDueBy as string | undefined) ?? null };
      row.overdue = { value: false };
      return;
    case 'ChangeAmended': {
      const planned = (data.amendment as { plannedWindow?: TimeWindow }).plannedWindow;
      if (planned !== undefined) row.plannedWindow = { value: planned };
      return;
    }
    case 'ApprovalsInvalidated':
      row.approvalDueBy = { value: (data.approvalDueBy as string | undefined) ?? null };
      row.overdue = { value: false };
      break;
    case 'ApprovalOverdue':
      row.overdue = { value: true };
      return;
    case 'ChangeScheduled':
      row.scheduledWindow = { value: data.window as TimeWindow };
      break;
  }
  row.status = STATUS_AFTER[event.type] ?? row.status;
}

function fold(events: readonly RecordedEvent[]): Map<string, RowChange> {
  const rows = new Map<string, RowChange>();
  for (const event of events) {
    if (!event.streamId.startsWith(CHANGE_STREAM_PREFIX)) continue;
    const changeId = event.streamId.slice(CHANGE_STREAM_PREFIX.length);
    const row: RowChange = rows.get(changeId) ?? {
      plannedWindow: undefined,
      scheduledWindow: undefined,
      approvalDueBy: undefined,
      overdue: undefined,
      updatedAt: event.metadata.occurredAt,
      revision: event.revision,
    };
    applyEvent(row, event);
    row.updatedAt = event.metadata.occurredAt;
    row.revision = event.revision;
    rows.set(changeId, row);
  }
  return rows;
}

const range = (window: TimeWindow | null | undefined) =>
  window ? `[${window.start},${window.end})` : null;

/**
 * One searchable row per change: what GET /changes lists and filters, the window conflicts are
 * looked for in, and the approval deadline the SLA watch reads. A batch is folded per change
 * first and written in two statements, however many events it holds.
 */
export const changeCatalog: Projection = {
  name: 'change-catalog',
  tables: ['change_catalog'],
  migrations: [
    {
      version: 1,
      script: `
        CREATE TABLE change_catalog (
          change_id uuid PRIMARY KEY,
          title text NOT NULL,
          type text NOT NULL,
          category text NOT NULL,
          environment text NOT NULL,
          services text[] NOT NULL,
          status text NOT NULL,
          risk_level text,
          route text,
          requested_by text NOT NULL,
          requested_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          revision integer NOT NULL
        );
        CREATE INDEX change_catalog_requested_idx ON change_catalog (requested_at DESC, change_id);
        CREATE INDEX change_catalog_services_idx ON change_catalog USING gin (services);
      `,
    },
    {
      version: 2,
      script: `
        ALTER TABLE change_catalog
          ADD COLUMN planned_window tstzrange,
          ADD COLUMN scheduled_window tstzrange,
          ADD COLUMN approval_due_by timestamptz,
          ADD COLUMN approval_overdue boolean NOT NULL DEFAULT false;
        CREATE INDEX change_catalog_window_idx ON change_catalog
          USING gist (COALESCE(scheduled_window, planned_window));
        CREATE INDEX change_catalog_due_idx ON change_catalog (approval_due_by)
          WHERE NOT approval_overdue;
        -- The fold now keeps windows and approval deadlines: replay it from the first event.
        TRUNCATE change_catalog;
        DELETE FROM projection_checkpoints WHERE projection = 'change-catalog';
      `,
    },
  ],

  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    const rows = [...fold(events)];
    const requested = rows.filter(([, row]) => row.requested !== undefined);
    if (requested.length > 0) {
      const data = requested.map(([, row]) => row.requested as RequestedData);
      await tx.query(
        `INSERT INTO change_catalog (change_id, title, type, category, environment, services,
           status, requested_by, requested_at, updated_at, revision)
         SELECT r.change_id, r.title, r.type, r.category, r.environment,
                ARRAY(SELECT jsonb_array_elements_text(r.services)), 'awaiting-approval',
                r.requested_by, r.requested_at, r.requested_at, 0
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[],
                     $7::text[], $8::timestamptz[])
              AS r(change_id, title, type, category, environment, services, requested_by, requested_at)
         ON CONFLICT (change_id) DO NOTHING`,
        [
          requested.map(([id]) => id),
          data.map((d) => d.request.title),
          data.map((d) => d.request.type),
          data.map((d) => d.request.category),
          data.map((d) => d.request.environment),
          data.map((d) => JSON.stringify(d.request.services)),
          data.map((d) => d.requestedBy),
          data.map((d) => d.at),
        ],
      );
    }
    if (rows.length === 0) return;
    const set = <T>(pick: (row: RowChange) => Assigned<T>) =>
      rows.map(([, row]) => pick(row) !== undefined);
    await tx.query(
      `UPDATE change_catalog c SET status = COALESCE(u.status, c.status),
         risk_level = COALESCE(u.risk_level, c.risk_level), route = COALESCE(u.route, c.route),
         planned_window = CASE WHEN u.set_planned THEN u.planned_window::tstzrange ELSE c.planned_window END,
         scheduled_window = CASE WHEN u.set_scheduled THEN u.scheduled_window::tstzrange ELSE c.scheduled_window END,
         approval_due_by = CASE WHEN u.set_due THEN u.approval_due_by ELSE c.approval_due_by END,
         approval_overdue = CASE WHEN u.set_overdue THEN u.overdue ELSE c.approval_overdue END,
         updated_at = u.updated_at, revision = u.revision
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[],
                   $7::boolean[], $8::text[], $9::boolean[], $10::text[], $11::boolean[],
                   $12::timestamptz[], $13::boolean[], $14::boolean[])
            AS u(change_id, status, risk_level, route, updated_at, revision,
                 set_planned, planned_window, set_scheduled, scheduled_window, set_due,
                 approval_due_by, set_overdue, overdue)
       WHERE c.change_id = u.change_id`,
      [
        rows.map(([id]) => id),
        rows.map(([, row]) => row.status ?? null),
        rows.map(([, row]) => row.riskLevel ?? null),
        rows.map(([, row]) => row.route ?? null),
        rows.map(([, row]) => row.updatedAt),
        rows.map(([, row]) => row.revision),
        set((row) => row.plannedWindow),
        rows.map(([, row]) => range(row.plannedWindow?.value)),
        set((row) => row.scheduledWindow),
        rows.map(([, row]) => range(row.scheduledWindow?.value)),
        set((row) => row.approvalDueBy),
        rows.map(([, row]) => row.approvalDueBy?.value ?? null),
        set((row) => row.overdue),
        rows.map(([, row]) => row.overdue?.value ?? false),
      ],
    );
  },
};

import type { RecordedEvent } from '../../ledger/ledger-event';
import type { SqlClient } from '../../sql/sql-client';
import { CHANGE_STREAM_PREFIX } from '../../changes/application/change-stream';
import type { ChangeStatus } from '../../changes/domain/change-state';
import type { Projection } from '../projection';

/** The status a change is in right after each event that moves it. */
const STATUS_AFTER: Partial<Record<string, ChangeStatus>> = {
  RiskAssessed: 'awaiting-approval',
  ChangeApproved: 'approved',
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
  };
}

/** What a batch changes about one change, folded before anything is written. */
interface RowChange {
  requested?: RequestedData;
  status?: string;
  riskLevel?: string;
  route?: string;
  updatedAt: string;
  revision: number;
}

function fold(events: readonly RecordedEvent[]): Map<string, RowChange> {
  const rows = new Map<string, RowChange>();
  for (const event of events) {
    if (!event.streamId.startsWith(CHANGE_STREAM_PREFIX)) continue;
    const changeId = event.streamId.slice(CHANGE_STREAM_PREFIX.length);
    const row: RowChange = rows.get(changeId) ?? {
      updatedAt: event.metadata.occurredAt,
      revision: event.revision,
    };
    if (event.type === 'ChangeRequested') {
      row.requested = event.data as unknown as RequestedData;
      row.status = 'awaiting-approval';
    } else {
      row.status = STATUS_AFTER[event.type] ?? row.status;
      if (event.type === 'RiskAssessed') {
        const { level, route } = event.data as { level: string; route: string };
        row.riskLevel = level;
        row.route = route;
      }
    }
    row.updatedAt = event.metadata.occurredAt;
    row.revision = event.revision;
    rows.set(changeId, row);
  }
  return rows;
}

/**
 * One searchable row per change: what GET /changes lists and filters. A batch is folded per
 * change first and written in two statements, however many events it holds.
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
    await tx.query(
      `UPDATE change_catalog c SET status = COALESCE(u.status, c.status),
         risk_level = COALESCE(u.risk_level, c.risk_level), route = COALESCE(u.route, c.route),
         updated_at = u.updated_at, revision = u.revision
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[])
            AS u(change_id, status, risk_level, route, updated_at, revision)
       WHERE c.change_id = u.change_id`,
      [
        rows.map(([id]) => id),
        rows.map(([, row]) => row.status ?? null),
        rows.map(([, row]) => row.riskLevel ?? null),
        rows.map(([, row]) => row.route ?? null),
        rows.map(([, row]) => row.updatedAt),
        rows.map(([, row]) => row.revision),
      ],
    );
  },
};

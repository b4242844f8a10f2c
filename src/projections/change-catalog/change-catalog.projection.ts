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
  changeId: string;
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

/** One searchable row per change: what GET /changes lists and filters. */
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
    for (const event of events) {
      if (!event.streamId.startsWith(CHANGE_STREAM_PREFIX)) continue;
      const changeId = event.streamId.slice(CHANGE_STREAM_PREFIX.length);
      if (event.type === 'ChangeRequested') {
        const data = event.data as unknown as RequestedData;
        const { title, type, category, services, environment } = data.request;
        await tx.query(
          `INSERT INTO change_catalog (change_id, title, type, category, environment, services,
             status, requested_by, requested_at, updated_at, revision)
           VALUES ($1, $2, $3, $4, $5, $6, 'awaiting-approval', $7, $8, $8, $9)
           ON CONFLICT (change_id) DO NOTHING`,
          [
            changeId,
            title,
            type,
            category,
            environment,
            services,
            data.requestedBy,
            data.at,
            event.revision,
          ],
        );
        continue;
      }
      const { level, route } = (event.type === 'RiskAssessed' ? event.data : {}) as {
        level?: string;
        route?: string;
      };
      await tx.query(
        `UPDATE change_catalog SET status = COALESCE($2, status), risk_level = COALESCE($3, risk_level),
           route = COALESCE($4, route), updated_at = $5, revision = $6
         WHERE change_id = $1`,
        [
          changeId,
          STATUS_AFTER[event.type] ?? null,
          level ?? null,
          route ?? null,
          event.metadata.occurredAt,
          event.revision,
        ],
      );
    }
  },
};

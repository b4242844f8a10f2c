import type { RecordedEvent } from '../../ledger/ledger-event';
import type { SqlClient } from '../../sql/sql-client';
import type { Projection } from '../../ledger/projection';
import { catalogEventOf, dependencyTableScript, replaceDependencies } from './dependency-edges';

/** The service catalog and its dependency edges: what /services answers from. */
export const serviceGraph: Projection = {
  name: 'service-graph',
  tables: ['service_catalog', 'service_dependencies'],
  migrations: [
    {
      version: 1,
      script: `
        CREATE TABLE service_catalog (
          name text PRIMARY KEY,
          owner text NOT NULL,
          tier integer NOT NULL,
          depends_on text[] NOT NULL,
          registered_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
        CREATE INDEX service_catalog_owner_idx ON service_catalog (owner, name);
        ${dependencyTableScript('service_dependencies')}
      `,
    },
  ],

  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      const event = catalogEventOf(recorded);
      if (event === null) continue;
      const { name, owner, tier, dependsOn, at } = event.data;
      await tx.query(
        `INSERT INTO service_catalog (name, owner, tier, depends_on, registered_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (name) DO UPDATE
           SET owner = $2, tier = $3, depends_on = $4, updated_at = $5`,
        [name, owner, tier, dependsOn, at],
      );
      await replaceDependencies(tx, 'service_dependencies', event);
    }
  },
};

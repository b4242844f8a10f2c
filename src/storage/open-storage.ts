import { mkdirSync } from 'node:fs';
import { ALERT_STREAM_PREFIX, INCIDENT_STREAM_PREFIX } from '../alerts/domain/alert-events';
import { CHANGE_STREAM_PREFIX } from '../changes/domain/change-stream';
import type { AppConfig } from '../config/config';
import {
  REPOSITORY_STREAM_PREFIX,
  SERVICE_STREAM_PREFIX,
} from '../deployments/domain/service-events';
import type { EventStore } from '../ledger/event-store';
import { separateLedgerRoles } from '../ledger/adapters/sql/ledger-roles';
import { SqlEventStore } from '../ledger/adapters/sql/sql-event-store';
import { openEventStoreDbStore } from '../ledger/adapters/eventstoredb/open-eventstoredb-store';
import { createLogger } from '../observability/logger';
import { PgSqlClient } from '../sql/pg-sql-client';
import { PGliteSqlClient } from '../sql/pglite-sql-client';
import { CATALOG_STREAM_PREFIX } from '../services/domain/catalog-stream';
import { FREEZES_STREAM } from '../freezes/domain/freeze-events';
import { POLICY_STREAM } from '../policy/policy-stream';
import type { SqlClient } from '../sql/sql-client';

/** Every stream category the ledger writes; EventStoreDB's $all is filtered to these. */
const LEDGER_STREAM_PREFIXES = [
  CHANGE_STREAM_PREFIX,
  SERVICE_STREAM_PREFIX,
  REPOSITORY_STREAM_PREFIX,
  ALERT_STREAM_PREFIX,
  INCIDENT_STREAM_PREFIX,
  CATALOG_STREAM_PREFIX,
  FREEZES_STREAM,
  POLICY_STREAM,
];

/** The event store, and the SQL database that holds the read models whatever the store is. */
export interface Storage {
  readonly store: EventStore;
  readonly sql: SqlClient;
  close(): Promise<void>;
}

async function openSql(config: AppConfig): Promise<SqlClient> {
  if (config.databaseUrl !== null && config.eventStore !== 'embedded') {
    const log = createLogger(config.logLevel).child({ component: 'postgres' });
    return new PgSqlClient({
      connectionString: config.databaseUrl,
      max: 20,
      connectTimeoutMs: config.databaseConnectTimeoutMs,
      // Each call in flight fails and is retried by its caller; this says why, once per connection.
      onConnectionLost: (error) =>
        log.warn({ err: error }, 'PostgreSQL connection lost; the next call opens a new one'),
    });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return PGliteSqlClient.open(config.dataDir);
}

/** The ledger's schema, created and owned by the migration role (the writer only inserts). */
async function asMigrationRole(url: string, writer: SqlClient): Promise<void> {
  const owner = new PgSqlClient({ connectionString: url, max: 1 });
  try {
    await separateLedgerRoles(owner, writer);
  } catch (error) {
    await writer.close();
    throw error;
  } finally {
    await owner.close();
  }
}

export async function openStorage(config: AppConfig): Promise<Storage> {
  const sql = await openSql(config);
  switch (config.eventStore) {
    case 'embedded':
    case 'postgres': {
      if (config.databaseMigrationUrl !== null)
        await asMigrationRole(config.databaseMigrationUrl, sql);
      // The SQL store owns the client it shares with the read models.
      const store = await SqlEventStore.open(config.eventStore, sql, config.feedPollMs);
      return { sql, store, close: () => store.close() };
    }
    case 'eventstoredb': {
      const store = await openEventStoreDbStore(config.eventStoreConnectionString as string, {
        streamPrefixes: LEDGER_STREAM_PREFIXES,
      });
      return {
        sql,
        store,
        close: () => Promise.all([store.close(), sql.close()]).then(() => undefined),
      };
    }
  }
}

import { mkdirSync } from 'node:fs';
import type { AppConfig } from '../config/config';
import type { EventStore } from '../ledger/event-store';
import { SqlEventStore } from '../ledger/adapters/sql/sql-event-store';
import { openEventStoreDbStore } from '../ledger/adapters/eventstoredb/open-eventstoredb-store';
import { PgSqlClient } from '../sql/pg-sql-client';
import { PGliteSqlClient } from '../sql/pglite-sql-client';
import type { SqlClient } from '../sql/sql-client';

/** The event store, and the SQL database that holds the read models whatever the store is. */
export interface Storage {
  readonly store: EventStore;
  readonly sql: SqlClient;
  close(): Promise<void>;
}

async function openSql(config: AppConfig): Promise<SqlClient> {
  if (config.databaseUrl !== null && config.eventStore !== 'embedded') {
    return new PgSqlClient({ connectionString: config.databaseUrl, max: 20 });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return PGliteSqlClient.open(config.dataDir);
}

export async function openStorage(config: AppConfig): Promise<Storage> {
  const sql = await openSql(config);
  switch (config.eventStore) {
    case 'embedded':
    case 'postgres': {
      // The SQL store owns the client it shares with the read models.
      const store = await SqlEventStore.open(config.eventStore, sql, config.feedPollMs);
      return { sql, store, close: () => store.close() };
    }
    case 'eventstoredb': {
      const store = await openEventStoreDbStore(config.eventStoreConnectionString as string);
      return {
        sql,
        store,
        close: () => Promise.all([store.close(), sql.close()]).then(() => undefined),
      };
    }
  }
}

import { EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreDbEventStore, type EventStoreDbStoreOptions } from './eventstoredb-event-store';

export interface OpenEventStoreDbOptions extends EventStoreDbStoreOptions {
  /** Check the server answers before returning (default true), as the SQL stores do by migrating. */
  readonly verifyConnection?: boolean;
}

/**
 * The ledger on EventStoreDB, for EVENT_STORE=eventstoredb. The connection string is the
 * client's own: `esdb://host:2113?tls=false` for one insecure node, `esdb+discover://...` for a
 * cluster through DNS gossip, credentials as `esdb://user:password@host:2113`.
 */
export async function openEventStoreDbStore(
  connectionString: string,
  { verifyConnection = true, ...options }: OpenEventStoreDbOptions = {},
): Promise<EventStoreDbEventStore> {
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(connectionString);
  } catch (error) {
    // A malformed connection string is a configuration error, not an outage: say so plainly.
    throw new Error(
      `EVENTSTORE_CONNECTION_STRING is not a valid EventStoreDB connection string: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const store = new EventStoreDbEventStore(client, options);
  if (verifyConnection) {
    try {
      await store.ping();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

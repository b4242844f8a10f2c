import type { RecordedEvent } from '../ledger/ledger-event';
import type { Migration } from '../sql/migrate';
import type { SqlClient } from '../sql/sql-client';

/**
 * A read model built from the global feed. `apply` runs inside the transaction that also
 * moves the projection's checkpoint, so each event takes effect exactly once.
 */
export interface Projection {
  readonly name: string;
  readonly migrations: readonly Migration[];
  apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void>;
}

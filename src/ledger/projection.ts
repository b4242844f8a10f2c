import type { RecordedEvent } from './ledger-event';
import type { Migration } from '../sql/migrate';
import type { SqlClient } from '../sql/sql-client';

/**
 * A read model built from the global feed. `apply` runs inside the transaction that also
 * moves the projection's checkpoint, so each event takes effect exactly once.
 *
 * Statements use the tables' plain names: a rebuild runs the same `apply` with the search
 * path set to a shadow schema, then swaps the rebuilt tables in.
 */
export interface Projection {
  readonly name: string;
  /** Every table the projection owns (and a rebuild replaces). */
  readonly tables: readonly string[];
  readonly migrations: readonly Migration[];
  apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void>;
}

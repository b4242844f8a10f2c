/**
 * The little SQL surface the ledger and the read models need, so the same statements run on
 * PostgreSQL (`pg`) and on the embedded PGlite.
 */
export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(script: string): Promise<void>;
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const SQL_CLIENT = Symbol('SqlClient');

import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client';
import { asSqlError, SqlUnavailable } from './sql-unavailable';

type PGliteQueryable = PGlite | Transaction;

class PGliteSession implements SqlClient {
  constructor(
    protected readonly db: PGliteQueryable,
    private readonly engine: PGlite,
  ) {}

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    try {
      return (await this.db.query<Row>(text, params as unknown[])).rows;
    } catch (error) {
      throw this.failure(error);
    }
  }

  async exec(script: string): Promise<void> {
    try {
      await this.db.exec(script);
    } catch (error) {
      throw this.failure(error);
    }
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Once the engine is gone (closed, or aborted by a trap), whatever it throws means that. */
  protected failure(error: unknown): unknown {
    return this.engine.closed && !(error instanceof SqlUnavailable)
      ? new SqlUnavailable(error)
      : asSqlError(error);
  }
}

/**
 * The embedded store: PostgreSQL compiled to WASM, persisted in a directory. One process
 * owns the directory; PGlite serialises queries itself. There is no connection to lose, but
 * the engine can fail (a full disk, a trap): that reaches callers as SqlUnavailable, never as
 * an exception nobody catches.
 */
export class PGliteSqlClient extends PGliteSession {
  private constructor(private readonly pglite: PGlite) {
    super(pglite, pglite);
  }

  static async open(dataDir: string): Promise<PGliteSqlClient> {
    const pglite = await PGlite.create(dataDir);
    return new PGliteSqlClient(pglite);
  }

  override async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    try {
      return await this.pglite.transaction((tx) => work(new PGliteSession(tx, this.pglite)));
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Closes the engine; closing one that is already closed (or gone) does nothing. */
  override async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client';

type PGliteQueryable = PGlite | Transaction;

class PGliteSession implements SqlClient {
  constructor(protected readonly db: PGliteQueryable) {}

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.db.query<Row>(text, params as unknown[])).rows;
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The embedded store: PostgreSQL compiled to WASM, persisted in a directory. One process
 * owns the directory; PGlite serialises queries itself.
 */
export class PGliteSqlClient extends PGliteSession {
  private constructor(private readonly pglite: PGlite) {
    super(pglite);
  }

  static async open(dataDir: string): Promise<PGliteSqlClient> {
    const pglite = await PGlite.create(dataDir);
    return new PGliteSqlClient(pglite);
  }

  override transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => work(new PGliteSession(tx)));
  }

  override close(): Promise<void> {
    return this.pglite.close();
  }
}

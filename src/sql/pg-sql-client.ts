import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { SqlClient } from './sql-client';

class PgTransaction implements SqlClient {
  constructor(private readonly client: PoolClient) {}

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.client.query(text, params as unknown[])).rows as Row[];
  }

  async exec(script: string): Promise<void> {
    await this.client.query(script);
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** PostgreSQL through a `pg` connection pool. */
export class PgSqlClient implements SqlClient {
  private readonly pool: Pool;

  constructor(config: PoolConfig) {
    this.pool = new Pool(config);
    // An idle client losing its connection must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(text, params as unknown[])).rows as Row[];
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PgTransaction(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

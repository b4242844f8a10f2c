import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { SqlClient } from './sql-client';
import { asSqlError } from './sql-unavailable';

class PgTransaction implements SqlClient {
  constructor(private readonly client: PoolClient) {}

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    try {
      return (await this.client.query(text, params as unknown[])).rows as Row[];
    } catch (error) {
      throw asSqlError(error);
    }
  }

  async exec(script: string): Promise<void> {
    await this.query(script);
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface PgSqlClientOptions {
  readonly connectionString: string;
  /** Connections in the pool (default 10). */
  readonly max?: number;
  /** How long opening a connection may take before the database counts as unreachable (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Told each time a connection is lost (a server restart, a network drop). */
  readonly onConnectionLost?: (error: Error) => void;
}

/**
 * PostgreSQL through a `pg` connection pool. Nothing here holds state on a connection between
 * calls (advisory locks are transaction-scoped), so a lost connection costs only the call in
 * flight: the pool opens a fresh one for the next call, and callers retry with back-off.
 * Failures of the server or the network reach callers as SqlUnavailable.
 */
export class PgSqlClient implements SqlClient {
  private readonly pool: Pool;

  constructor(options: PgSqlClientOptions) {
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      // A peer that vanished without closing the socket is noticed by TCP keepalive, probing
      // after 10 s of silence (the interval and count of probes are the OS's).
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    };
    this.pool = new Pool(config);
    const lost = options.onConnectionLost ?? (() => undefined);
    // Every connection keeps a listener for its whole life. pg-pool listens only while a
    // connection is idle: one that breaks while checked out (between two statements of a
    // transaction) would otherwise emit an 'error' nobody handles, which ends the process.
    // A broken connection is not queryable, so the pool discards it when it is released.
    this.pool.on('connect', (client) => client.on('error', lost));
    // The pool re-emits idle connections' errors; the listener above has reported them.
    this.pool.on('error', () => undefined);
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query(text, params as unknown[])).rows as Row[];
    } catch (error) {
      throw asSqlError(error);
    }
  }

  async exec(script: string): Promise<void> {
    await this.query(script);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw asSqlError(error);
    });
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(new PgTransaction(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => {
        broken = rollbackFailed;
      });
      throw asSqlError(error);
    } finally {
      // A connection that cannot even roll back is closed, never handed to the next caller.
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

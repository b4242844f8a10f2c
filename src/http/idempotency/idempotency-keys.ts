import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { migrate } from '../../sql/migrate';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';

const MIGRATIONS = [
  {
    version: 1,
    script: `
      -- Each Idempotency-Key a principal used, bound to the request it was first used for.
      CREATE TABLE idempotency_keys (
        principal text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        first_used_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (principal, key)
      );`,
  },
];

/** The request a key was first used for, when it was another. */
export interface KeyUse {
  readonly method: string;
  readonly path: string;
  readonly fingerprint: string;
}

/**
 * Idempotency keys with the request they stand for (method, path and canonical body, as a
 * SHA-256 fingerprint), kept in the SQL database next to the read models. A key binds to the
 * first request that used it; the same key on another request is refused. Kept as long as
 * the ledger: the event ids derived from a key are forever too.
 */
@Injectable()
export class IdempotencyKeys implements OnModuleInit {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  onModuleInit(): Promise<void> {
    return migrate(this.sql, 'idempotency-keys', MIGRATIONS);
  }

  /**
   * Binds `key` to `use` if it is free. Returns 'claimed' when this call bound it, 'same' when
   * it was bound to this very request before (a retry), else the other request it is bound to.
   */
  async claim(principal: string, key: string, use: KeyUse): Promise<'claimed' | 'same' | KeyUse> {
    const inserted = await this.sql.query(
      `INSERT INTO idempotency_keys (principal, key, fingerprint, method, path)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (principal, key) DO NOTHING RETURNING key`,
      [principal, key, use.fingerprint, use.method, use.path],
    );
    if (inserted.length > 0) return 'claimed';
    const [bound] = await this.sql.query<KeyUse>(
      'SELECT fingerprint, method, path FROM idempotency_keys WHERE principal = $1 AND key = $2',
      [principal, key],
    );
    // Released in between by a request that failed: try again.
    if (bound === undefined) return this.claim(principal, key, use);
    return bound.fingerprint === use.fingerprint ? 'same' : bound;
  }

  /** Frees a key this request claimed and then failed with: a corrected retry may use it. */
  async release(principal: string, key: string, fingerprint: string): Promise<void> {
    await this.sql.query(
      'DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND fingerprint = $3',
      [principal, key, fingerprint],
    );
  }
}

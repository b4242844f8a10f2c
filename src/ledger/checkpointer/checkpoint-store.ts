import { migrate } from '../../sql/migrate';
import type { SqlClient } from '../../sql/sql-client';

const CHECKPOINT_MIGRATIONS = [
  {
    version: 1,
    script: `
      CREATE TABLE ledger_checkpoints (
        tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
        -- The signed note as the log signed it (cosignatures are kept beside it).
        note text NOT NULL,
        key_id text NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ledger_checkpoint_cosignatures (
        tree_size bigint NOT NULL REFERENCES ledger_checkpoints (tree_size),
        witness text NOT NULL,
        line text NOT NULL,
        cosigned_at timestamptz NOT NULL,
        PRIMARY KEY (tree_size, witness)
      );
      -- The size each witness last cosigned for this log: the "old" of the next request.
      CREATE TABLE ledger_witnesses (
        witness text PRIMARY KEY,
        tree_size bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
];

/** A checkpoint as stored: the note the log signed, and what witnesses added. */
export interface StoredCheckpoint {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly note: string;
  /** The signing key, as name+hexid. */
  readonly keyId: string;
  readonly signedAt: string;
  /** Cosignature lines, newline included. */
  readonly cosignatures: readonly string[];
}

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  note: string;
  key_id: string;
  signed_at: string;
  cosignatures: string[] | null;
}

const SELECT_CHECKPOINT = `
  SELECT c.tree_size::text AS tree_size, c.root_hash, c.note, c.key_id,
         to_char(c.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS signed_at,
         (SELECT array_agg(s.line ORDER BY s.witness) FROM ledger_checkpoint_cosignatures s
           WHERE s.tree_size = c.tree_size) AS cosignatures
  FROM ledger_checkpoints c`;

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    treeSize: Number(row.tree_size),
    rootHash: Buffer.from(row.root_hash),
    note: row.note,
    keyId: row.key_id,
    signedAt: row.signed_at,
    cosignatures: row.cosignatures ?? [],
  };
}

/** The note served to clients: the log's note with every cosignature line after its signature. */
export function servedNote(checkpoint: StoredCheckpoint): string {
  return checkpoint.note + checkpoint.cosignatures.join('');
}

/** The signed checkpoints, their cosignatures, and where each witness stands. */
export class CheckpointStore {
  constructor(private readonly sql: SqlClient) {}

  prepare(): Promise<void> {
    return migrate(this.sql, 'ledger-checkpoints', CHECKPOINT_MIGRATIONS);
  }

  async latest(sql: SqlClient = this.sql): Promise<StoredCheckpoint | null> {
    const [row] = await sql.query<CheckpointRow>(
      `${SELECT_CHECKPOINT} ORDER BY c.tree_size DESC LIMIT 1`,
    );
    return row ? toCheckpoint(row) : null;
  }

  async atSize(size: number, sql: SqlClient = this.sql): Promise<StoredCheckpoint | null> {
    const [row] = await sql.query<CheckpointRow>(`${SELECT_CHECKPOINT} WHERE c.tree_size = $1`, [
      size,
    ]);
    return row ? toCheckpoint(row) : null;
  }

  /** Up to `limit` checkpoints larger than `after`, smallest first. */
  async after(after: number, limit: number): Promise<StoredCheckpoint[]> {
    const rows = await this.sql.query<CheckpointRow>(
      `${SELECT_CHECKPOINT} WHERE c.tree_size > $1 ORDER BY c.tree_size LIMIT $2`,
      [after, limit],
    );
    return rows.map(toCheckpoint);
  }

  /** Seconds since the latest checkpoint was signed, by the database's clock. */
  async secondsSince(checkpoint: StoredCheckpoint, sql: SqlClient = this.sql): Promise<number> {
    const [row] = await sql.query<{ seconds: number }>(
      `SELECT extract(epoch FROM now() - signed_at)::float8 AS seconds
         FROM ledger_checkpoints WHERE tree_size = $1`,
      [checkpoint.treeSize],
    );
    return row?.seconds ?? Number.POSITIVE_INFINITY;
  }

  async insert(
    sql: SqlClient,
    checkpoint: Pick<StoredCheckpoint, 'treeSize' | 'rootHash' | 'note' | 'keyId'>,
  ): Promise<StoredCheckpoint> {
    await sql.query(
      'INSERT INTO ledger_checkpoints (tree_size, root_hash, note, key_id) VALUES ($1, $2, $3, $4)',
      [checkpoint.treeSize, checkpoint.rootHash, checkpoint.note, checkpoint.keyId],
    );
    return (await this.atSize(checkpoint.treeSize, sql)) as StoredCheckpoint;
  }

  /** Keeps a witness's cosignature and remembers the size it has now seen. */
  async addCosignature(
    treeSize: number,
    witness: string,
    line: string,
    cosignedAt: number,
  ): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO ledger_checkpoint_cosignatures (tree_size, witness, line, cosigned_at)
         VALUES ($1, $2, $3, to_timestamp($4)) ON CONFLICT (tree_size, witness) DO NOTHING`,
        [treeSize, witness, line, cosignedAt],
      );
      await this.recordWitnessSize(tx, witness, treeSize);
    });
  }

  /** The size a witness last cosigned for this log, as far as we know (0: never). */
  async witnessSize(witness: string): Promise<number> {
    const [row] = await this.sql.query<{ tree_size: string }>(
      'SELECT tree_size::text AS tree_size FROM ledger_witnesses WHERE witness = $1',
      [witness],
    );
    return Number(row?.tree_size ?? 0);
  }

  async recordWitnessSize(sql: SqlClient, witness: string, treeSize: number): Promise<void> {
    await sql.query(
      `INSERT INTO ledger_witnesses (witness, tree_size) VALUES ($1, $2)
       ON CONFLICT (witness) DO UPDATE SET tree_size = excluded.tree_size, updated_at = now()`,
      [witness, treeSize],
    );
  }
}

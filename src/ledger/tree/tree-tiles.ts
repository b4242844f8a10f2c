import type { SqlClient } from '../../sql/sql-client';
import type { Tile, TileId } from '../merkle/tiles';

/** The statements that move tiles and leaves in and out of the tree's tables. */

/** A bytea as a Buffer, without a copy (pg hands out Buffers, PGlite Uint8Arrays). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Leaves the tree holds: one past the highest leaf index (an index probe). */
export async function storedTreeSize(sql: SqlClient): Promise<number> {
  const [row] = await sql.query<{ size: string }>(
    'SELECT coalesce(max(leaf_index) + 1, 0)::text AS size FROM ledger_tree_leaves',
  );
  return Number(row.size);
}

export async function readTiles(sql: SqlClient, ids: readonly TileId[]): Promise<Tile[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query<{ level: number; index: string; hashes: Uint8Array }>(
    `SELECT t.level, t.index::text AS index, t.hashes
       FROM unnest($1::smallint[], $2::bigint[]) AS w(level, index)
       JOIN ledger_tree_tiles t ON t.level = w.level AND t.index = w.index`,
    [ids.map((t) => t.level), ids.map((t) => t.index)],
  );
  return rows.map((r) => ({
    level: r.level,
    index: Number(r.index),
    hashes: asBuffer(r.hashes),
  }));
}

/** Writes tiles as they now are: a full tile once, a partial one replaced as it grows. */
export async function writeTiles(sql: SqlClient, tiles: readonly Tile[]): Promise<void> {
  if (tiles.length === 0) return;
  await sql.query(
    `INSERT INTO ledger_tree_tiles (level, index, hashes)
     SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])
     ON CONFLICT (level, index) DO UPDATE SET hashes = excluded.hashes`,
    [tiles.map((t) => t.level), tiles.map((t) => t.index), tiles.map((t) => t.hashes)],
  );
}

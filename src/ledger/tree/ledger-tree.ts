import { BoundedLru } from '../../common/bounded-lru';
import type { SqlClient } from '../../sql/sql-client';
import { consistencyPath, inclusionPath } from '../merkle/proof-paths';
import { rangeHash, type LeafRange, type PerfectSubtree } from '../merkle/subtrees';
import {
  fromTiles,
  partialTiles,
  proofTileLevels,
  tileKey,
  tileSpan,
  tilesFor,
  tileWidth,
  TILE_WIDTH,
  type Tile,
} from '../merkle/tiles';
import { asBuffer, readTiles, storedTreeSize } from './tree-tiles';

/** Where an event sits in the tree. */
export interface LeafRecord {
  readonly leafIndex: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  /** The envelope hash the leaf commits to, hex. */
  readonly eventHash: string;
  /** The event's position in the global feed. */
  readonly position: string;
}

interface LeafRow {
  leaf_index: string;
  event_id: string;
  stream_id: string;
  revision: string;
  event_hash: string;
  position: string;
}

const LEAF_COLUMNS = `l.leaf_index::text AS leaf_index, l.event_id::text AS event_id, l.stream_id,
  l.revision::text AS revision, l.event_hash, l.position`;

/**
 * An event's leaf and, in the same round trip, every tile a proof about it can need
 * (proofTiles): the tile above it at each level, $2 levels, and the partial tiles $3/$4.
 */
const LEAF_WITH_TILES = `
  SELECT ${LEAF_COLUMNS}, t.level, t.index::text AS tile_index, t.hashes
  FROM ledger_tree_leaves l
  CROSS JOIN LATERAL (
    SELECT lv::smallint AS level, l.leaf_index >> (8 * (lv + 1)) AS index
      FROM generate_series(0, $2::int - 1) lv
    UNION SELECT * FROM unnest($3::smallint[], $4::bigint[])) w
  LEFT JOIN ledger_tree_tiles t ON t.level = w.level AND t.index = w.index
  WHERE l.event_id = $1`;

function toLeaf(row: LeafRow): LeafRecord {
  return {
    leafIndex: Number(row.leaf_index),
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    eventHash: row.event_hash,
    position: row.position,
  };
}

/**
 * Full tiles above the leaves kept in memory by default (2,048 × 8 KiB at most: all of them
 * up to half a billion leaves), and the subtree hashes computed from them. Leaf tiles are not
 * kept: a proof of a random leaf rarely meets its tile again, and churning them only feeds
 * the garbage collector.
 */
const FULL_TILE_CACHE = 2048;
const SUBTREE_CACHE = 16_384;

/**
 * Reads of the stored tree: leaves, roots and proofs for any size it has reached. A proof
 * reads at most two tiles a tile level, in one round trip (three levels cover 16 million
 * leaves); full tiles never change, so they are cached.
 */
export class LedgerTree {
  private readonly fullTiles: BoundedLru<string, Tile> | null;
  private readonly subtrees: BoundedLru<string, Buffer> | null;

  /** With `fullTileCache` 0, every tile is read from the database (what a check wants). */
  constructor(
    private readonly sql: SqlClient,
    fullTileCache = FULL_TILE_CACHE,
  ) {
    const cached = fullTileCache > 0;
    this.fullTiles = cached ? new BoundedLru(fullTileCache) : null;
    this.subtrees = cached ? new BoundedLru(SUBTREE_CACHE) : null;
  }

  size(sql: SqlClient = this.sql): Promise<number> {
    return storedTreeSize(sql);
  }

  async leafOf(eventId: string): Promise<LeafRecord | null> {
    const [row] = await this.sql.query<LeafRow>(
      `SELECT ${LEAF_COLUMNS} FROM ledger_tree_leaves l WHERE l.event_id = $1`,
      [eventId],
    );
    return row ? toLeaf(row) : null;
  }

  /** The leaves of these events, by event id (those not in the tree yet are left out). */
  async leavesOf(eventIds: readonly string[]): Promise<Map<string, LeafRecord>> {
    const rows = await this.sql.query<LeafRow>(
      `SELECT ${LEAF_COLUMNS} FROM ledger_tree_leaves l WHERE l.event_id = ANY($1::uuid[])`,
      [eventIds],
    );
    return new Map(rows.map((row) => [row.event_id, toLeaf(row)]));
  }

  /** Up to `limit` leaves from index `from`, in order. */
  async leaves(from: number, limit: number, sql: SqlClient = this.sql): Promise<LeafRecord[]> {
    const rows = await sql.query<LeafRow>(
      `SELECT ${LEAF_COLUMNS} FROM ledger_tree_leaves l
       WHERE l.leaf_index >= $1 ORDER BY l.leaf_index LIMIT $2`,
      [from, limit],
    );
    return rows.map(toLeaf);
  }

  async root(size: number, sql: SqlClient = this.sql): Promise<Buffer> {
    const [root] = await this.hashes([{ start: 0, end: size }], sql);
    return root;
  }

  /**
   * An event's leaf and its inclusion proof in the tree of `size` leaves (null when that tree
   * does not hold it), from one round trip; null when the event is not in the tree.
   */
  async inclusionProofOf(
    eventId: string,
    size: number,
  ): Promise<{ leaf: LeafRecord; hashes: Buffer[] | null } | null> {
    const partial = partialTiles(size);
    const rows = await this.sql.query<
      LeafRow & { level: number | null; tile_index: string | null; hashes: Uint8Array | null }
    >(LEAF_WITH_TILES, [
      eventId,
      proofTileLevels(size),
      partial.map((t) => t.level),
      partial.map((t) => t.index),
    ]);
    if (rows.length === 0) return null;
    const leaf = toLeaf(rows[0]);
    if (leaf.leafIndex >= size) return { leaf, hashes: null };
    const known = new Map<string, Tile>();
    for (const { level, tile_index, hashes } of rows) {
      if (level === null || tile_index === null || hashes === null) continue;
      const tile = { level, index: Number(tile_index), hashes: asBuffer(hashes) };
      known.set(tileKey(tile), tile);
    }
    return {
      leaf,
      hashes: await this.hashes(inclusionPath(leaf.leafIndex, size), this.sql, known),
    };
  }

  async inclusionProof(index: number, size: number): Promise<Buffer[]> {
    const [proof] = await this.inclusionProofs([index], size);
    return proof;
  }

  /** Inclusion proofs of many leaves in one tree, from one read of the tiles they need. */
  async inclusionProofs(indexes: readonly number[], size: number): Promise<Buffer[][]> {
    const paths = indexes.map((index) => inclusionPath(index, size));
    const hashes = await this.hashes(paths.flat());
    let at = 0;
    return paths.map((path) => hashes.slice(at, (at += path.length)));
  }

  consistencyProof(from: number, to: number, sql: SqlClient = this.sql): Promise<Buffer[]> {
    return this.hashes(consistencyPath(from, to), sql);
  }

  /**
   * The hash of each range, from the tiles under them: those `known` already, cached full
   * tiles, the rest read.
   */
  async hashes(
    ranges: readonly LeafRange[],
    sql: SqlClient = this.sql,
    known: ReadonlyMap<string, Tile> = new Map(),
  ): Promise<Buffer[]> {
    const needed = tilesFor(ranges);
    const atHand = new Map<string, Tile>();
    const missing = needed.filter((id) => {
      const cached = known.get(tileKey(id)) ?? this.fullTiles?.get(tileKey(id));
      if (cached) this.keep(atHand, cached);
      return !cached;
    });
    for (const tile of await readTiles(sql, missing)) this.keep(atHand, tile);
    const perfect = this.perfect(atHand);
    return ranges.map((range) => rangeHash(range, perfect));
  }

  /** Puts a tile at hand, and a full one above the leaves in the cache: it never changes. */
  private keep(atHand: Map<string, Tile>, tile: Tile): void {
    atHand.set(tileKey(tile), tile);
    if (tile.level > 0 && tileWidth(tile) === TILE_WIDTH) {
      this.fullTiles?.set(tileKey(tile), tile);
    }
  }

  /**
   * Subtree hashes from the tiles at hand. A subtree under a full tile above the leaves never
   * changes: once computed (up to 127 hashes for the tallest) it is kept.
   */
  private perfect(atHand: ReadonlyMap<string, Tile>): PerfectSubtree {
    const compute = fromTiles(atHand);
    return (level, index) => {
      const span = tileSpan({ level, index });
      const tile = atHand.get(tileKey(span.tile));
      const full = tile !== undefined && tile.level > 0 && tileWidth(tile) === TILE_WIDTH;
      const key = `${level}/${index}`;
      const known = full ? this.subtrees?.get(key) : undefined;
      if (known) return known;
      const hash = compute(level, index);
      if (full) this.subtrees?.set(key, hash);
      return hash;
    };
  }
}

import { HASH_SIZE, nodeHash } from './tree-hash';
import { perfectSubtrees, type LeafRange, type PerfectSubtree, type TreeNode } from './subtrees';

/**
 * The tree stored as C2SP tlog-tiles: a tile at level L holds up to 256 consecutive hashes of
 * tree level 8·L (level 0: the leaf hashes; level 1: the roots of full level-0 tiles; …).
 * A full tile never changes; only the right edge of the tree has partial tiles, and a partial
 * tile only grows, so an older, narrower version of it is a prefix of the newer one.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;

export interface TileId {
  readonly level: number;
  readonly index: number;
}

export interface Tile extends TileId {
  /** Its hashes, concatenated: width × 32 bytes. */
  readonly hashes: Buffer;
}

export function tileKey({ level, index }: TileId): string {
  return `${level}/${index}`;
}

export function tileWidth(tile: Tile): number {
  return tile.hashes.length / HASH_SIZE;
}

/** The hashes of the tile a perfect subtree is computed from: which tile, where, how many. */
export interface TileSpan {
  readonly tile: TileId;
  readonly offset: number;
  readonly count: number;
}

/** A perfect subtree lies inside one tile: the 2^(level mod 8) hashes under it at level 8·L. */
export function tileSpan({ level, index }: TreeNode): TileSpan {
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const count = 2 ** (level - tileLevel * TILE_HEIGHT);
  const first = index * count;
  return {
    tile: { level: tileLevel, index: Math.floor(first / TILE_WIDTH) },
    offset: first % TILE_WIDTH,
    count,
  };
}

/** The root of `count` (a power of two) consecutive hashes of a tile, from `offset`. */
export function hashTileSpan(hashes: Buffer, offset: number, count: number): Buffer {
  const end = (offset + count) * HASH_SIZE;
  if (end > hashes.length) {
    throw new RangeError(
      `a tile of ${hashes.length / HASH_SIZE} hashes has no hash ${end / HASH_SIZE - 1}`,
    );
  }
  let level: Buffer[] = [];
  for (let i = offset; i < offset + count; i++) {
    level.push(hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  }
  while (level.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(nodeHash(level[i], level[i + 1]));
    level = up;
  }
  return Buffer.from(level[0]);
}

/** The partial tiles of a tree of `size` leaves, with the width each has (tlog-tiles). */
export function partialTiles(size: number): Array<TileId & { width: number }> {
  const tiles: Array<TileId & { width: number }> = [];
  for (let level = 0; TILE_WIDTH ** level <= size; level++) {
    const hashes = Math.floor(size / TILE_WIDTH ** level);
    const width = hashes % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: Math.floor(hashes / TILE_WIDTH), width });
  }
  return tiles;
}

/**
 * Grows the tiles of a tree leaf by leaf, keeping only its right edge (at most one partial
 * tile per level) in memory. Start it from the partial tiles of the tree as stored.
 */
export class TileAppender {
  /** Per tile level, the hashes of the tile being filled. */
  private readonly edge: Buffer[][] = [];
  private leaves: number;

  constructor(size: number, partial: readonly Tile[]) {
    this.leaves = size;
    for (const expected of partialTiles(size)) {
      const tile = partial.find((t) => t.level === expected.level && t.index === expected.index);
      if (!tile || tileWidth(tile) < expected.width) {
        throw new RangeError(
          `the tree of ${size} leaves needs tile ${tileKey(expected)} with ${expected.width} hashes`,
        );
      }
      this.edge[expected.level] = Array.from({ length: expected.width }, (_, i) =>
        tile.hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
      );
    }
  }

  get size(): number {
    return this.leaves;
  }

  /** The partial tiles of the right edge, as they stand. */
  partial(): Tile[] {
    return partialTiles(this.leaves).map(({ level, index }) => ({
      level,
      index,
      hashes: Buffer.concat(this.edge[level]),
    }));
  }

  /** Appends leaf hashes; returns every tile that changed, as it now is. */
  append(leafHashes: readonly Buffer[]): Tile[] {
    const changed: Tile[] = [];
    const touched = new Set<number>();
    for (const leaf of leafHashes) {
      this.leaves += 1;
      let hash = leaf;
      for (let level = 0; ; level++) {
        const hashes = (this.edge[level] ??= []);
        hashes.push(hash);
        touched.add(level);
        if (hashes.length < TILE_WIDTH) break;
        // A full tile: final from now on, and its root is the next hash one tile level up.
        const full = Buffer.concat(hashes);
        const index = Math.floor(this.leaves / TILE_WIDTH ** (level + 1)) - 1;
        changed.push({ level, index, hashes: full });
        hash = hashTileSpan(full, 0, TILE_WIDTH);
        this.edge[level] = [];
      }
    }
    for (const level of touched) {
      const hashes = this.edge[level];
      if (hashes.length === 0) continue;
      const index = Math.floor(this.leaves / TILE_WIDTH ** (level + 1));
      changed.push({ level, index, hashes: Buffer.concat(hashes) });
    }
    return changed;
  }
}

/**
 * How many tile levels hold a proof's hashes in a tree of `size` leaves: level L is needed
 * while a subtree of 256^L leaves is smaller than the tree.
 */
export function proofTileLevels(size: number): number {
  let levels = 1;
  while (TILE_WIDTH ** levels < size) levels += 1;
  return levels;
}

/**
 * Every tile a proof about leaf `index` in a tree of `size` leaves can need, known before any
 * is read: at each tile level the tile above the leaf (its path's left siblings), and the
 * tree's partial tiles (its right edge). An inclusion proof of the leaf, or a consistency
 * proof from size index + 1, needs no other.
 */
export function proofTiles(index: number, size: number): TileId[] {
  const tiles = new Map<string, TileId>();
  for (let level = 0; level < proofTileLevels(size); level++) {
    const tile = { level, index: Math.floor(index / TILE_WIDTH ** (level + 1)) };
    tiles.set(tileKey(tile), tile);
  }
  for (const { level, index: at } of partialTiles(size))
    tiles.set(`${level}/${at}`, { level, index: at });
  return [...tiles.values()];
}

/** The tiles holding the hashes every one of these ranges is computed from. */
export function tilesFor(ranges: readonly LeafRange[]): TileId[] {
  const tiles = new Map<string, TileId>();
  for (const range of ranges) {
    for (const node of perfectSubtrees(range)) {
      const { tile } = tileSpan(node);
      tiles.set(tileKey(tile), tile);
    }
  }
  return [...tiles.values()];
}

/** Perfect subtree hashes computed from tiles at hand (by tileKey). */
export function fromTiles(tiles: ReadonlyMap<string, Tile>): PerfectSubtree {
  return (level, index) => {
    const span = tileSpan({ level, index });
    const tile = tiles.get(tileKey(span.tile));
    if (!tile) throw new RangeError(`tile ${tileKey(span.tile)} is not at hand`);
    return hashTileSpan(tile.hashes, span.offset, span.count);
  };
}

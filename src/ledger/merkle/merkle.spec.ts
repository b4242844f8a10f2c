import { createHash } from 'node:crypto';
import vectors from './fixtures/rfc6962-vectors.json';
import { CompactRange } from './compact-range';
import { eventLeafHash, leafData } from './ledger-leaf';
import { MemoryTree } from './memory-tree';
import { consistencyPath, inclusionPath } from './proof-paths';
import { rangeHash } from './subtrees';
import {
  fromTiles,
  partialTiles,
  proofTileLevels,
  proofTiles,
  TileAppender,
  tileKey,
  tilesFor,
  TILE_WIDTH,
  type Tile,
} from './tiles';
import { EMPTY_ROOT, leafHash, nodeHash } from './tree-hash';
import { InvalidProof, verifyConsistency, verifyInclusion } from './verify-proofs';

const b64 = (s: string | null) => Buffer.from(s ?? '', 'base64');
const hex = (s: string) => Buffer.from(s, 'hex');

function treeOf(leafHashes: readonly Buffer[]): MemoryTree {
  const tree = new MemoryTree();
  leafHashes.forEach((leaf) => tree.append(leaf));
  return tree;
}

/** The same leaves stored as tiles, the way the service stores them, batch by batch. */
function tilesOf(leafHashes: readonly Buffer[], batch: number): Map<string, Tile> {
  const tiles = new Map<string, Tile>();
  let appender = new TileAppender(0, []);
  for (let at = 0; at < leafHashes.length; at += batch) {
    for (const tile of appender.append(leafHashes.slice(at, at + batch))) {
      tiles.set(tileKey(tile), tile);
    }
    // Restart from what is stored, as the service does after every batch.
    const partial = partialTiles(appender.size).map((t) => tiles.get(tileKey(t)) as Tile);
    appender = new TileAppender(appender.size, partial);
  }
  return tiles;
}

function someLeaves(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
}

describe('RFC 6962 hashing, against the reference implementations’ vectors', () => {
  const leaves = vectors.leafInputs.map((input) => leafHash(hex(input)));

  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(EMPTY_ROOT).toEqual(hex(vectors.rootHashes[0]));
    expect(new MemoryTree().root()).toEqual(EMPTY_ROOT);
  });

  it('computes the root of every prefix of the reference leaves', () => {
    const tree = treeOf(leaves);
    vectors.rootHashes.forEach((root, size) => expect(tree.root(size)).toEqual(hex(root)));
  });

  it('computes the same roots in a compact range, leaf by leaf', () => {
    const range = new CompactRange();
    expect(range.root()).toEqual(hex(vectors.rootHashes[0]));
    leaves.forEach((leaf, i) => {
      range.append(leaf);
      expect(range.root()).toEqual(hex(vectors.rootHashes[i + 1]));
    });
  });

  it('computes the same roots from tiles', () => {
    const tiles = tilesOf(leaves, 3);
    vectors.rootHashes.forEach((root, size) =>
      expect(rangeHash({ start: 0, end: size }, fromTiles(tiles))).toEqual(hex(root)),
    );
  });

  it('generates exactly the proofs of the vectors’ happy paths', () => {
    const tree = treeOf(leaves);
    const happy = [...vectors.inclusion, ...vectors.consistency].filter((p) =>
      p.file.endsWith('/happy-path.json'),
    );
    expect(happy.length).toBeGreaterThanOrEqual(8);
    for (const probe of vectors.inclusion.filter((p) => p.file.endsWith('/happy-path.json'))) {
      expect(tree.inclusionProof(probe.leafIdx, probe.treeSize)).toEqual(
        (probe.proof ?? []).map(b64),
      );
    }
    for (const probe of vectors.consistency.filter((p) => p.file.endsWith('/happy-path.json'))) {
      expect(tree.consistencyProof(probe.size1, probe.size2)).toEqual((probe.proof ?? []).map(b64));
    }
  });

  it.each(vectors.inclusion.map((p) => [p.file, p] as const))('inclusion probe %s', (_, probe) => {
    const verify = () =>
      verifyInclusion(
        probe.leafIdx,
        probe.treeSize,
        b64(probe.leafHash),
        (probe.proof ?? []).map(b64),
        b64(probe.root),
      );
    if (probe.wantErr) expect(verify).toThrow(InvalidProof);
    else expect(verify).not.toThrow();
  });

  it.each(vectors.consistency.map((p) => [p.file, p] as const))(
    'consistency probe %s',
    (_, probe) => {
      const verify = () =>
        verifyConsistency(
          probe.size1,
          probe.size2,
          (probe.proof ?? []).map(b64),
          b64(probe.root1),
          b64(probe.root2),
        );
      if (probe.wantErr) expect(verify).toThrow(InvalidProof);
      else expect(verify).not.toThrow();
    },
  );
});

describe('proofs', () => {
  const leaves = someLeaves(70);
  const tree = treeOf(leaves);

  it('every inclusion and consistency proof of a 70-leaf tree verifies', () => {
    for (let size = 1; size <= leaves.length; size++) {
      const root = tree.root(size);
      for (let index = 0; index < size; index++) {
        verifyInclusion(index, size, leaves[index], tree.inclusionProof(index, size), root);
      }
      for (let from = 1; from <= size; from++) {
        verifyConsistency(from, size, tree.consistencyProof(from, size), tree.root(from), root);
      }
    }
  });

  it('follows RFC 9162’s paths (the RFC’s example tree of 7 leaves)', () => {
    expect(inclusionPath(0, 7)).toEqual([
      { start: 1, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 7 },
    ]);
    expect(inclusionPath(6, 7)).toEqual([
      { start: 4, end: 6 },
      { start: 0, end: 4 },
    ]);
    expect(consistencyPath(3, 7)).toEqual([
      { start: 2, end: 3 },
      { start: 3, end: 4 },
      { start: 0, end: 2 },
      { start: 4, end: 7 },
    ]);
    expect(consistencyPath(4, 7)).toEqual([{ start: 4, end: 7 }]);
    expect(consistencyPath(0, 7)).toEqual([]);
    expect(consistencyPath(7, 7)).toEqual([]);
  });

  it('refuses to make proofs that cannot exist', () => {
    expect(() => inclusionPath(7, 7)).toThrow(RangeError);
    expect(() => inclusionPath(-1, 7)).toThrow(RangeError);
    expect(() => consistencyPath(8, 7)).toThrow(RangeError);
    expect(() => tree.root(71)).toThrow(RangeError);
  });

  describe('forged proofs are refused', () => {
    const size = 45;
    const index = 21;
    const root = tree.root(size);
    const proof = tree.inclusionProof(index, size);
    const attacks: Array<[string, () => void]> = [
      [
        'the proof of another leaf',
        () =>
          verifyInclusion(index, size, leaves[index], tree.inclusionProof(index + 1, size), root),
      ],
      [
        'another leaf with this proof',
        () => verifyInclusion(index, size, leaves[index + 1], proof, root),
      ],
      [
        'the right proof at another index',
        () => verifyInclusion(index + 1, size, leaves[index], proof, root),
      ],
      [
        'a proof made for another tree size',
        () =>
          verifyInclusion(index, size, leaves[index], tree.inclusionProof(index, size + 1), root),
      ],
      [
        'the right proof claimed for a larger tree',
        () => verifyInclusion(index, size + 1, leaves[index], proof, tree.root(size + 1)),
      ],
      [
        'two siblings swapped',
        () =>
          verifyInclusion(
            index,
            size,
            leaves[index],
            [proof[1], proof[0], ...proof.slice(2)],
            root,
          ),
      ],
      [
        'a sibling dropped',
        () => verifyInclusion(index, size, leaves[index], proof.slice(0, -1), root),
      ],
      [
        'a sibling added',
        () => verifyInclusion(index, size, leaves[index], [...proof, proof[0]], root),
      ],
      ['a leaf past the end', () => verifyInclusion(size, size, leaves[index], proof, root)],
      [
        'an inner node offered as the leaf',
        () => verifyInclusion(index, size, nodeHash(leaves[20], leaves[21]), proof, root),
      ],
      [
        'a consistency proof between other sizes',
        () => verifyConsistency(20, size, tree.consistencyProof(21, size), tree.root(20), root),
      ],
      [
        'a consistency proof with swapped hashes',
        () => {
          const c = tree.consistencyProof(20, size);
          verifyConsistency(20, size, [c[1], c[0], ...c.slice(2)], tree.root(20), root);
        },
      ],
      [
        'an older root that the tree does not extend',
        () => verifyConsistency(20, size, tree.consistencyProof(20, size), tree.root(19), root),
      ],
      [
        'a consistency proof with a hash too short',
        () => {
          const c = tree.consistencyProof(20, size);
          verifyConsistency(20, size, [c[0].subarray(1), ...c.slice(1)], tree.root(20), root);
        },
      ],
    ];
    it.each(attacks)('%s', (_, attack) => expect(attack).toThrow(InvalidProof));
  });
});

describe('tiles (C2SP tlog-tiles)', () => {
  it('names the partial tiles as the specification’s example does', () => {
    expect(partialTiles(70_000)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
    expect(partialTiles(256)).toEqual([{ level: 1, index: 0, width: 1 }]);
    expect(partialTiles(0)).toEqual([]);
  });

  it('gives the roots and proofs of a tree in memory, for sizes around tile boundaries', () => {
    const leaves = someLeaves(TILE_WIDTH * TILE_WIDTH + 300);
    const tree = treeOf(leaves);
    const tiles = tilesOf(leaves, 500);
    const perfect = fromTiles(tiles);
    for (const size of [1, 255, 256, 257, 511, 512, 65_535, 65_536, 65_537, leaves.length]) {
      expect(rangeHash({ start: 0, end: size }, perfect)).toEqual(tree.root(size));
      for (const index of [0, Math.floor(size / 2), size - 1]) {
        const path = inclusionPath(index, size);
        expect(path.map((r) => rangeHash(r, perfect))).toEqual(tree.inclusionProof(index, size));
        // O(log n) reads: at most two tiles a tile level.
        expect(tilesFor(path).length).toBeLessThanOrEqual(2 * 3);
      }
      for (const from of [1, 256, Math.max(1, size - 1)].filter((f) => f <= size)) {
        const path = consistencyPath(from, size);
        expect(path.map((r) => rangeHash(r, perfect))).toEqual(tree.consistencyProof(from, size));
      }
    }
  });

  it('knows every tile a proof needs before reading any', () => {
    const keys = (ids: Array<{ level: number; index: number }>) => ids.map(tileKey);
    const sizes = [1, 2, 255, 256, 257, 300, 511, 65_535, 65_536, 65_537, 70_000, 16_777_217];
    for (const size of sizes) {
      for (const index of [0, 1, 255, 256, Math.floor(size / 2), size - 2, size - 1]) {
        if (index < 0 || index >= size) continue;
        const known = keys(proofTiles(index, size));
        expect(known).toEqual(expect.arrayContaining(keys(tilesFor(inclusionPath(index, size)))));
        expect(known).toEqual(
          expect.arrayContaining(keys(tilesFor(consistencyPath(index + 1, size)))),
        );
        expect(known.length).toBeLessThanOrEqual(2 * proofTileLevels(size));
      }
    }
  });

  it('keeps a full tile as it was and grows a partial one by appending', () => {
    const leaves = someLeaves(300);
    const appender = new TileAppender(0, []);
    const first = appender.append(leaves.slice(0, 100));
    expect(first).toEqual([{ level: 0, index: 0, hashes: Buffer.concat(leaves.slice(0, 100)) }]);
    const second = appender.append(leaves.slice(100, 300));
    expect(second.map((t) => [t.level, t.index, t.hashes.length / 32])).toEqual([
      [0, 0, 256],
      [0, 1, 44],
      [1, 0, 1],
    ]);
    expect(second[0].hashes.subarray(0, 100 * 32)).toEqual(first[0].hashes);
  });

  it('refuses to continue a tree from tiles narrower than its size', () => {
    const [tile] = new TileAppender(0, []).append(someLeaves(10));
    expect(() => new TileAppender(11, [tile])).toThrow(/needs tile 0\/0 with 11 hashes/);
  });
});

describe('ledger leaves', () => {
  const event = { streamId: 'change-1', revision: 3, hash: 'ab'.repeat(32) };

  it('is the canonical JSON of hash, revision and stream, hashed with the leaf prefix', () => {
    const json = `{"hash":"${event.hash}","revision":3,"streamId":"change-1"}`;
    expect(leafData(event).toString('utf8')).toBe(json);
    expect(eventLeafHash(event)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([0]), Buffer.from(json)]))
        .digest(),
    );
  });

  it('differs when the event moves to another stream or revision', () => {
    const base = eventLeafHash(event);
    expect(eventLeafHash({ ...event, revision: 4 })).not.toEqual(base);
    expect(eventLeafHash({ ...event, streamId: 'change-2' })).not.toEqual(base);
    expect(eventLeafHash({ ...event, hash: 'cd'.repeat(32) })).not.toEqual(base);
  });
});

import { consistencyPath, inclusionPath } from './proof-paths';
import { rangeHash, type PerfectSubtree } from './subtrees';
import { HASH_SIZE, nodeHash } from './tree-hash';

/** One tree level's hashes, back to back in a buffer that doubles as it fills. */
class HashRow {
  private bytes = Buffer.alloc(64 * HASH_SIZE);
  length = 0;

  push(hash: Uint8Array): void {
    if ((this.length + 1) * HASH_SIZE > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.length * HASH_SIZE);
    this.length += 1;
  }

  at(index: number): Buffer {
    if (index >= this.length) throw new RangeError(`no hash ${index} in a row of ${this.length}`);
    return this.bytes.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }
}

/**
 * A whole Merkle tree in memory, every perfect subtree hash kept (about 64 bytes a leaf): the
 * offline verifier rebuilds the log's tree in it, and it serves proofs for any past size.
 */
export class MemoryTree {
  private readonly levels: HashRow[] = [new HashRow()];

  get size(): number {
    return this.levels[0].length;
  }

  append(leaf: Uint8Array): void {
    this.levels[0].push(leaf);
    // Every completed pair makes its parent, up as far as pairs complete.
    for (let level = 0; this.levels[level].length % 2 === 0; level++) {
      const row = this.levels[level];
      const parent = nodeHash(row.at(row.length - 2), row.at(row.length - 1));
      (this.levels[level + 1] ??= new HashRow()).push(parent);
    }
  }

  readonly perfect: PerfectSubtree = (level, index) => {
    const row = this.levels[level];
    if (!row) throw new RangeError(`no subtree of 2^${level} leaves yet`);
    return row.at(index);
  };

  root(size = this.size): Buffer {
    this.check(size);
    return rangeHash({ start: 0, end: size }, this.perfect);
  }

  inclusionProof(index: number, size = this.size): Buffer[] {
    this.check(size);
    return inclusionPath(index, size).map((range) => rangeHash(range, this.perfect));
  }

  consistencyProof(from: number, to = this.size): Buffer[] {
    this.check(to);
    return consistencyPath(from, to).map((range) => rangeHash(range, this.perfect));
  }

  private check(size: number): void {
    if (size > this.size) throw new RangeError(`the tree has ${this.size} leaves, not ${size}`);
  }
}

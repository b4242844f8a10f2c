import { EMPTY_ROOT, nodeHash } from './tree-hash';

/**
 * Tree sizes and leaf indexes are plain numbers: exact up to 2^53, far beyond any ledger. The
 * arithmetic below avoids JavaScript's 32-bit bitwise operators for that reason.
 */

/** The hash of the perfect subtree of 2^level leaves starting at leaf index × 2^level. */
export type PerfectSubtree = (level: number, index: number) => Buffer;

/** A perfect subtree: 2^level leaves, the index-th of that size from the left. */
export interface TreeNode {
  readonly level: number;
  readonly index: number;
}

/** The leaves [start, end) of a tree (RFC 6962's D[start:end]). */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && 2 ** Math.floor(Math.log2(n)) === n;
}

/** The largest power of two smaller than n (n ≥ 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up a range, left to right, largest first: the range must
 * start at a multiple of the largest of them, as every range of RFC 6962's recursion does.
 */
export function perfectSubtrees({ start, end }: LeafRange): TreeNode[] {
  const nodes: TreeNode[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    while (size * 2 <= end - at) size *= 2;
    if (at % size !== 0) throw new RangeError(`[${start}, ${end}) is not a subtree of the tree`);
    nodes.push({ level: Math.log2(size), index: at / size });
    at += size;
  }
  return nodes;
}

/**
 * MTH(D[start:end]): the perfect subtrees of the range folded from the right, which is what
 * RFC 6962's recursion MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])) computes.
 */
export function rangeHash(range: LeafRange, perfect: PerfectSubtree): Buffer {
  const nodes = perfectSubtrees(range);
  if (nodes.length === 0) return EMPTY_ROOT;
  let hash = perfect(nodes[nodes.length - 1].level, nodes[nodes.length - 1].index);
  for (let i = nodes.length - 2; i >= 0; i--) {
    hash = nodeHash(perfect(nodes[i].level, nodes[i].index), hash);
  }
  return hash;
}

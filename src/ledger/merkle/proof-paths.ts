import { splitPoint, type LeafRange } from './subtrees';

/**
 * Which subtrees' hashes make up a proof, as RFC 9162 generates them; the hashes themselves
 * come from whatever holds the tree (tiles in SQL, or a tree in memory).
 */

/**
 * RFC 9162 §2.1.3.1, PATH(m, D[n]): the inclusion path of leaf `index` in the tree of `size`
 * leaves, from the leaf's sibling up to the root's other child.
 */
export function inclusionPath(index: number, size: number): LeafRange[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  }
  const path: LeafRange[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push({ start: start + k, end });
    } else {
      walk(m - k, start + k, end);
      path.push({ start, end: start + k });
    }
  };
  walk(index, 0, size);
  return path;
}

/**
 * RFC 9162 §2.1.4.1, PROOF(m, D[n]) = SUBPROOF(m, D[n], true): what proves the tree of `to`
 * leaves extends the tree of `from` leaves. Empty when from is 0 or equal to to (there is
 * nothing to prove).
 */
export function consistencyPath(from: number, to: number): LeafRange[] {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
    throw new RangeError(`no consistency proof from a tree of ${from} to one of ${to} leaves`);
  }
  const path: LeafRange[] = [];
  if (from === 0) return path;
  const subproof = (m: number, start: number, end: number, whole: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!whole) path.push({ start, end });
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, start, start + k, whole);
      path.push({ start: start + k, end });
    } else {
      subproof(m - k, start + k, end, false);
      path.push({ start, end: start + k });
    }
  };
  subproof(from, 0, to, true);
  return path;
}

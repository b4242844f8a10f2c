import { isPowerOfTwo } from './subtrees';
import { HASH_SIZE, nodeHash } from './tree-hash';

/** A proof that does not prove what it is offered for; the message says why. */
export class InvalidProof extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidProof';
  }
}

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/**
 * RFC 9162's walk up the tree, shared by both verifications: for each proof hash, whether it
 * is the left sibling (then levels where the node is a right-edge only child are skipped);
 * every hash must be used before the walk reaches the root, and the walk must reach it.
 */
function walk(
  fn: number,
  sn: number,
  proof: readonly Uint8Array[],
  combine: (hash: Uint8Array, isLeft: boolean) => void,
): void {
  for (const hash of proof) {
    if (sn === 0) throw new InvalidProof('the proof has more hashes than the path is long');
    if (odd(fn) || fn === sn) {
      combine(hash, true);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      combine(hash, false);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new InvalidProof('the proof has fewer hashes than the path is long');
}

function checkHashes(what: string, hashes: readonly Uint8Array[]): void {
  hashes.forEach((hash, i) => {
    if (hash.length !== HASH_SIZE) {
      throw new InvalidProof(`${what} ${i} is ${hash.length} bytes, not a ${HASH_SIZE}-byte hash`);
    }
  });
}

function checkSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidProof(`${name} ${n} is not a tree size`);
}

/**
 * RFC 9162 §2.1.3.2, step by step: recomputes the root from the leaf hash and the path, and
 * throws unless it is `root` with every proof hash used, no more and no fewer.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkSize('leaf index', index);
  checkSize('tree size', size);
  checkHashes('leaf hash', [leaf]);
  checkHashes('proof hash', proof);
  if (index >= size) {
    throw new InvalidProof(`leaf index ${index} is not below the tree size ${size}`);
  }
  let r: Uint8Array = leaf;
  walk(index, size - 1, proof, (p, isLeft) => {
    r = isLeft ? nodeHash(p, r) : nodeHash(r, p);
  });
  if (!Buffer.from(r).equals(root)) {
    throw new InvalidProof(`leaf ${index} with this proof does not lead to the tree's root hash`);
  }
}

/**
 * RFC 9162 §2.1.4.2, step by step: throws unless the proof shows the tree of `second` leaves
 * with root `secondRoot` extends the tree of `first` leaves with root `firstRoot`. A proof from
 * the empty tree proves nothing and is refused, as the reference implementation refuses it (the
 * empty tree is a prefix of every tree: callers need not ask); equal sizes need equal roots
 * and an empty proof.
 */
export function verifyConsistency(
  first: number,
  second: number,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): void {
  checkSize('first tree size', first);
  checkSize('second tree size', second);
  checkHashes('proof hash', proof);
  if (first > second) {
    throw new InvalidProof(`the first tree (${first}) is larger than the second (${second})`);
  }
  if (first === 0) throw new InvalidProof('a consistency proof from the empty tree proves nothing');
  if (first === second) {
    if (proof.length > 0) throw new InvalidProof('trees of one size need an empty proof');
    if (!Buffer.from(firstRoot).equals(secondRoot)) {
      throw new InvalidProof(`two different root hashes for a tree of ${first} leaves`);
    }
    return;
  }
  if (proof.length === 0) throw new InvalidProof('the consistency proof is empty');
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  walk(fn, sn, path.slice(1), (c, isLeft) => {
    if (isLeft) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
    } else {
      sr = nodeHash(sr, c);
    }
  });
  if (!Buffer.from(fr).equals(firstRoot)) {
    throw new InvalidProof(`the proof does not lead to the first tree's root (${first} leaves)`);
  }
  if (!Buffer.from(sr).equals(secondRoot)) {
    throw new InvalidProof(`the proof does not lead to the second tree's root (${second} leaves)`);
  }
}

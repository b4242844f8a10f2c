import { createHash } from 'node:crypto';

/** Every hash in the tree is a SHA-256 digest. */
export const HASH_SIZE = 32;

/** RFC 6962 §2.1: the root of the empty tree is the hash of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x00 || leaf): the prefix keeps a leaf from ever passing for an inner node. */
export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

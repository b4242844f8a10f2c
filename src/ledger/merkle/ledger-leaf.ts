import canonicalize from 'canonicalize';
import { leafHash } from './tree-hash';

/** What a leaf commits to: the event's envelope hash, and its place in its stream. */
export interface LeafEvent {
  readonly streamId: string;
  readonly revision: number;
  /** The event's envelope hash, hex (src/ledger/hash-chain.ts). */
  readonly hash: string;
}

/**
 * The leaf of a ledger event: the UTF-8 bytes of the RFC 8785 canonical JSON of
 * {hash, revision, streamId}, e.g. {"hash":"9f…","revision":3,"streamId":"change-…"}. The
 * envelope hash covers the event's content and id; stream and revision in the leaf make the
 * tree commit to where the event sits too, so membership and order are both proven.
 */
export function leafData({ streamId, revision, hash }: LeafEvent): Buffer {
  return Buffer.from(canonicalize({ hash, revision, streamId }) as string, 'utf8');
}

/** The leaf hash of a ledger event: SHA-256(0x00 || leafData). */
export function eventLeafHash(event: LeafEvent): Buffer {
  return leafHash(leafData(event));
}

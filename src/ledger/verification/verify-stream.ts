import { GENESIS_HASH, hashEnvelope, type StreamHead } from '../hash-chain';
import type { RecordedEvent } from '../ledger-event';

/**
 * Why a link in the chain does not hold:
 * - `hash-mismatch`: the event's content no longer hashes to its stored hash (edited);
 * - `broken-link`: its prevHash is not its predecessor's hash (predecessor edited and
 *   re-hashed, or events spliced from elsewhere);
 * - `revision-gap`: revisions skip one (an event was deleted);
 * - `revision-out-of-order`: a revision repeats or goes backwards;
 * - `wrong-stream`: an event read for one stream claims to belong to another.
 */
export type BreakReason =
  'hash-mismatch' | 'broken-link' | 'revision-gap' | 'revision-out-of-order' | 'wrong-stream';

export interface BrokenLink {
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;
  readonly reason: BreakReason;
  /** Hash-mismatch: the recomputed hash; otherwise the hash the predecessor links to. */
  readonly expectedHash: string;
  /** Hash-mismatch: the stored hash; otherwise the event's stored prevHash. */
  readonly foundHash: string;
  /** For revision problems: the revision that should have come next. */
  readonly expectedRevision?: number;
}

export type StreamVerdict =
  | {
      readonly intact: true;
      readonly streamId: string;
      readonly events: number;
      readonly head: StreamHead | null;
    }
  | { readonly intact: false; readonly broken: BrokenLink };

/**
 * Checks one event against the head of its stream before it (null: it must be revision 0).
 * The order of checks makes the report name the most specific fault: a missing or misplaced
 * revision first, then the link to the predecessor, then the event's own content.
 */
export function checkLink(previous: StreamHead | null, event: RecordedEvent): BrokenLink | null {
  const expectedRevision = previous ? previous.revision + 1 : 0;
  const linkTo = previous ? previous.hash : GENESIS_HASH;
  const at = { streamId: event.streamId, revision: event.revision, position: event.position };
  if (event.revision !== expectedRevision) {
    return {
      ...at,
      reason: event.revision > expectedRevision ? 'revision-gap' : 'revision-out-of-order',
      expectedHash: linkTo,
      foundHash: event.prevHash,
      expectedRevision,
    };
  }
  if (event.prevHash !== linkTo) {
    return { ...at, reason: 'broken-link', expectedHash: linkTo, foundHash: event.prevHash };
  }
  const recomputed = hashEnvelope(event);
  if (recomputed !== event.hash) {
    return { ...at, reason: 'hash-mismatch', expectedHash: recomputed, foundHash: event.hash };
  }
  return null;
}

/** Verifies a whole stream read in revision order, reporting the first broken link. */
export function verifyStream(streamId: string, events: Iterable<RecordedEvent>): StreamVerdict {
  let head: StreamHead | null = null;
  let count = 0;
  for (const event of events) {
    if (event.streamId !== streamId) {
      return {
        intact: false,
        broken: {
          streamId: event.streamId,
          revision: event.revision,
          position: event.position,
          reason: 'wrong-stream',
          expectedHash: head?.hash ?? GENESIS_HASH,
          foundHash: event.prevHash,
        },
      };
    }
    const broken = checkLink(head, event);
    if (broken) return { intact: false, broken };
    head = { revision: event.revision, hash: event.hash };
    count += 1;
  }
  return { intact: true, streamId, events: count, head };
}

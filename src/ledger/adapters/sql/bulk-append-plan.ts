import { isAtExpected, type ExpectedRevision } from '../../event-store';
import { chainEvents, type StreamHead } from '../../hash-chain';
import type { ChainedEnvelope, ProposedEvent } from '../../ledger-event';

/** An append of an `appendMany` call, checked storable, with its place in the call. */
export interface PendingAppend {
  readonly index: number;
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly ProposedEvent[];
}

export interface ChainedAppend {
  readonly append: PendingAppend;
  readonly events: ReadonlyArray<ChainedEnvelope & { hash: string }>;
}

export interface BulkPlan {
  /** Chained onto the heads given, each onto the one before it on its stream: one insert. */
  readonly together: readonly ChainedAppend[];
  /** Left to `append` itself, in order, after the insert: it knows every way to refuse. */
  readonly oneByOne: readonly PendingAppend[];
}

/**
 * Which appends can go into one insert: those that find their stream where they expect it.
 * The rest, and everything after them on their stream (order per stream is kept), are left
 * for one-by-one appends, which settle them as a lone `append` would: stored already, a
 * wrong expected revision, or appended where the stream now ends.
 */
export function planBulkAppend(
  pending: readonly PendingAppend[],
  headOf: (streamId: string) => StreamHead | null,
  recordedAt: string,
): BulkPlan {
  const together: ChainedAppend[] = [];
  const oneByOne: PendingAppend[] = [];
  const tips = new Map<string, StreamHead | null>();
  const deferred = new Set<string>();
  for (const append of pending) {
    const { streamId } = append;
    const head = tips.has(streamId) ? (tips.get(streamId) ?? null) : headOf(streamId);
    if (
      deferred.has(streamId) ||
      append.events.length === 0 ||
      !isAtExpected(append.expected, head?.revision ?? -1)
    ) {
      deferred.add(streamId);
      oneByOne.push(append);
      continue;
    }
    const events = chainEvents(streamId, head, append.events, recordedAt);
    tips.set(streamId, events[events.length - 1]);
    together.push({ append, events });
  }
  return { together, oneByOne };
}

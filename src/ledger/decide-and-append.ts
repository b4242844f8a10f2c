import { randomUUID } from 'node:crypto';
import { deterministicEventId } from './deterministic-event-id';
import type { AppendResult, EventStore } from './event-store';
import { WrongExpectedRevision } from './ledger-errors';
import type { ProposedEvent, RecordedEvent } from './ledger-event';
import type { RecentStreams } from './recent-streams';

/** What one attempt came to: events to append and the answer once they are, or an answer now. */
export type Attempt<T> =
  | { readonly answer: T }
  | { readonly append: readonly ProposedEvent[]; readonly answer: (appended: AppendResult) => T };

export interface DecideAndAppendOptions {
  readonly maxAttempts: number;
  readonly onConflict: () => void;
  /** Streams this process wrote lately: a warm one is decided on without reading it again. */
  readonly recent?: RecentStreams;
}

/**
 * The command path every decider shares: read the stream, decide on what it holds, append at
 * the revision read. Losing a race to another writer means deciding again on the new state, a
 * few times at most; then the conflict goes back to the caller, who may retry.
 */
export async function decideAndAppend<T>(
  store: EventStore,
  streamId: string,
  /** `fresh`: the events were just read from the store, not taken from the recent cache. */
  attempt: (
    events: readonly RecordedEvent[],
    revision: number,
    fresh: boolean,
  ) => Promise<Attempt<T>>,
  { maxAttempts, onConflict, recent }: DecideAndAppendOptions,
): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    const cached = recent?.get(streamId);
    const events = cached ?? (await store.readStream(streamId));
    const revision = events.length - 1;
    let decided: Attempt<T>;
    try {
      decided = await attempt(events, revision, cached === undefined);
    } catch (error) {
      // Refused on what this process last saw: decide again on what the store holds now.
      if (cached === undefined) throw error;
      recent?.delete(streamId);
      continue;
    }
    if (!('append' in decided)) return decided.answer;
    try {
      const expected = revision < 0 ? 'no-stream' : revision;
      const appended = await store.append(streamId, expected, decided.append);
      // A redelivery that was stored already says nothing about what the cache lacks.
      if (appended.alreadyStored) recent?.delete(streamId);
      else recent?.set(streamId, [...events, ...appended.events]);
      return decided.answer(appended);
    } catch (error) {
      recent?.delete(streamId);
      if (!(error instanceof WrongExpectedRevision)) throw error;
      onConflict();
      if (tries >= maxAttempts) throw error;
    }
  }
}

/** Event ids of a command: derived from its idempotency key when it has one, else random. */
export function commandEventId(idempotencyKey: string | undefined, slot: number | string): string {
  return idempotencyKey === undefined ? randomUUID() : deterministicEventId(idempotencyKey, slot);
}

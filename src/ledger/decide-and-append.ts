import { randomUUID } from 'node:crypto';
import { deterministicEventId } from './deterministic-event-id';
import type { AppendResult, EventStore } from './event-store';
import { WrongExpectedRevision } from './ledger-errors';
import type { ProposedEvent, RecordedEvent } from './ledger-event';

/** What one attempt came to: events to append and the answer once they are, or an answer now. */
export type Attempt<T> =
  | { readonly answer: T }
  | { readonly append: readonly ProposedEvent[]; readonly answer: (appended: AppendResult) => T };

export interface DecideAndAppendOptions {
  readonly maxAttempts: number;
  readonly onConflict: () => void;
}

/**
 * The command path every decider shares: read the stream, decide on what it holds, append at
 * the revision read. Losing a race to another writer means deciding again on the new state, a
 * few times at most; then the conflict goes back to the caller, who may retry.
 */
export async function decideAndAppend<T>(
  store: EventStore,
  streamId: string,
  attempt: (events: readonly RecordedEvent[], revision: number) => Promise<Attempt<T>>,
  { maxAttempts, onConflict }: DecideAndAppendOptions,
): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    const events = await store.readStream(streamId);
    const revision = events.length - 1;
    const decided = await attempt(events, revision);
    if (!('append' in decided)) return decided.answer;
    try {
      const expected = revision < 0 ? 'no-stream' : revision;
      return decided.answer(await store.append(streamId, expected, decided.append));
    } catch (error) {
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

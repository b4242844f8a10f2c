import { EventEmitter, once } from 'node:events';
import type { SubscribeOptions } from './event-store';
import type { RecordedEvent } from './ledger-event';

/** Wakes this process's subscribers as soon as it appends, instead of at the next poll. */
export class AppendSignal {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  notify(): void {
    this.emitter.emit('append');
  }

  /** Resolves on the next append, after `timeoutMs`, or when the signal aborts. */
  async wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      await once(this.emitter, 'append', { signal: AbortSignal.any([signal, timeout]) });
    } catch {
      // Timed out or aborted: the caller re-reads (or sees the abort) either way.
    }
  }
}

/**
 * Catch up from a position, then follow the live feed by polling — what stores without a
 * push subscription (PostgreSQL, PGlite) offer. Other instances' appends show up within
 * one poll interval.
 */
export async function* followFeed(
  readAll: (after: string | null, limit: number) => Promise<RecordedEvent[]>,
  appended: AppendSignal,
  pollMs: number,
  { after, signal, batchSize = 500 }: SubscribeOptions,
): AsyncGenerator<RecordedEvent> {
  let position = after;
  while (!signal.aborted) {
    const batch = await readAll(position, batchSize);
    for (const event of batch) {
      if (signal.aborted) return;
      yield event;
      position = event.position;
    }
    if (batch.length < batchSize) await appended.wait(pollMs, signal);
  }
}

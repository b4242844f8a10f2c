import type { RecordedEvent } from './ledger-event';

/**
 * The events of recently written streams, bounded. A command decided on a cached stream is
 * appended at the cached revision: if another writer got there first the append fails on
 * its revision, the entry is dropped and the command decided again on a fresh read. Events
 * never change, so a cached prefix is never wrong, only possibly short.
 */
export class RecentStreams {
  private readonly streams = new Map<string, readonly RecordedEvent[]>();

  constructor(private readonly capacity: number) {}

  get(streamId: string): readonly RecordedEvent[] | undefined {
    return this.streams.get(streamId);
  }

  set(streamId: string, events: readonly RecordedEvent[]): void {
    this.streams.delete(streamId);
    this.streams.set(streamId, events);
    if (this.streams.size > this.capacity) {
      this.streams.delete(this.streams.keys().next().value as string);
    }
  }

  forget(streamId: string): void {
    this.streams.delete(streamId);
  }
}

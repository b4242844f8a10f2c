import type { EventStore } from '../../ledger/event-store';
import type { RecordedEvent } from '../../ledger/ledger-event';
import { HISTORY_EVENTS, ServiceWindow } from './service-window';

/** Streams read from the store at the same time while loading windows. */
const LOADS_AT_ONCE = 16;

/**
 * Each service stream's recent window, kept in this process so a deploy does not read its
 * stream's history again. It may be behind the store (another instance appended since): that
 * is safe because appends planned on a window expect its exact head revision, and a refused
 * one makes the stream `refresh`, which reads only what came after the cached head.
 * Bounded by weight (streams plus deploys held), the least recently used streams going first.
 */
export class ServiceWindowCache {
  private readonly windows = new Map<string, ServiceWindow>();
  private weight = 0;

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 200_000,
  ) {}

  /** The windows of these streams; those in `refresh` caught up with the store first. */
  async windowsOf(
    streamIds: Iterable<string>,
    refresh: ReadonlySet<string> = new Set(),
  ): Promise<Map<string, ServiceWindow>> {
    const found = new Map<string, ServiceWindow>();
    const toRead: string[] = [];
    for (const streamId of streamIds) {
      const cached = this.windows.get(streamId);
      if (cached && !refresh.has(streamId)) found.set(streamId, this.touch(streamId, cached));
      else toRead.push(streamId);
    }
    for (let i = 0; i < toRead.length; i += LOADS_AT_ONCE) {
      const batch = toRead.slice(i, i + LOADS_AT_ONCE);
      const loaded = await Promise.all(batch.map((streamId) => this.read(streamId)));
      batch.forEach((streamId, k) => found.set(streamId, loaded[k]));
    }
    return found;
  }

  /** Events this process appended: extends the window when they follow its head. */
  appended(streamId: string, events: readonly RecordedEvent[]): void {
    const cached = this.windows.get(streamId);
    if (cached === undefined || events.length === 0) return;
    if (events[0].revision === cached.head + 1) this.keep(streamId, cached.plus(events));
    // Not contiguous: the window missed something, so it cannot be trusted to be whole.
    else if (events[events.length - 1].revision > cached.head) this.forget(streamId);
  }

  private async read(streamId: string): Promise<ServiceWindow> {
    const cached = this.windows.get(streamId);
    const window = cached
      ? cached.plus(await this.store.readStream(streamId, { fromRevision: cached.head + 1 }))
      : ServiceWindow.EMPTY.plus(
          (
            await this.store.readStream(streamId, { direction: 'backward', limit: HISTORY_EVENTS })
          ).reverse(),
        );
    // Another call may have moved the window on meanwhile: keep whichever is further ahead.
    const latest = this.windows.get(streamId);
    if (latest === undefined || latest.head <= window.head) this.keep(streamId, window);
    return window;
  }

  private touch(streamId: string, window: ServiceWindow): ServiceWindow {
    this.windows.delete(streamId);
    this.windows.set(streamId, window);
    return window;
  }

  private keep(streamId: string, window: ServiceWindow): void {
    this.forget(streamId);
    this.windows.set(streamId, window);
    this.weight += window.weight;
    for (const [oldest, evicted] of this.windows) {
      if (this.weight <= this.capacity || oldest === streamId) break;
      this.windows.delete(oldest);
      this.weight -= evicted.weight;
    }
  }

  private forget(streamId: string): void {
    const known = this.windows.get(streamId);
    if (known === undefined) return;
    this.windows.delete(streamId);
    this.weight -= known.weight;
  }
}

import type { ChangeCommands } from '../../changes/execute-change-command';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  StreamAppend,
} from '../../ledger/event-store';
import type { ProposedEvent } from '../../ledger/ledger-event';
import type { SqlClient } from '../../sql/sql-client';
import {
  ConflictingRedelivery,
  type ChangeMergedObservation,
  type DeploymentObservation,
} from '../observation';
import { ChangeCandidates } from './change-candidates';
import { mergedEventId, mergeEvents } from './change-merged';
import { DeploymentRecorder, observedEventId } from './deployment-recorder';
import type { IngestOrigin } from './ingest-item';
import { observationDigest } from './observation-digest';
import type { ServiceWindow } from './service-window';
import { ServiceWindowCache } from './service-window-cache';

/** Service streams planned side by side (a deploy matched to a change waits on its commands). */
const CONCURRENCY = 16;

/** An observation kept on a service's stream: a deploy, or a merge that names the service. */
export interface ServiceStreamItem {
  /** Its place in the batch being recorded. */
  readonly index: number;
  readonly streamId: string;
  readonly observation: DeploymentObservation | ChangeMergedObservation;
  readonly origin: IngestOrigin;
}

/** One stream's new events for the batch, in the order of its items, as one append. */
export interface StreamPlan {
  readonly append: StreamAppend;
  /** The items it records, with how many of its events each one brings. */
  readonly items: ReadonlyArray<{ readonly index: number; readonly events: number }>;
}

export interface ServicePlans {
  /** Items whose events are stored already (a redelivery, or twice in the batch). */
  readonly alreadyRecorded: readonly number[];
  readonly streams: readonly StreamPlan[];
}

interface Batch {
  /** Each item's marker: the event whose being stored says the item is recorded. */
  readonly markers: ReadonlyMap<number, string>;
  readonly storedBefore: (marker: string) => boolean;
  readonly candidates: ChangeCandidates;
}

function markerOf({ observation }: ServiceStreamItem): string {
  return observation.kind === 'deployment'
    ? observedEventId(observation)
    : mergedEventId(observation);
}

/**
 * Plans what a batch records on service streams, from each stream's cached recent window
 * rather than a read per deploy. A stream's items are planned in order and written as one
 * append expecting the exact revision of the window they were planned on: all of them, or,
 * when the window was behind the store (another instance appended), none, and the caller
 * re-plans that stream with `refresh`. So nothing is ever decided on stale history, and a
 * stream's observations are never written out of order.
 */
export class ServiceStreamPlanner {
  private readonly windows: ServiceWindowCache;
  private readonly deployments: DeploymentRecorder;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    changes: ChangeCommands,
  ) {
    this.windows = new ServiceWindowCache(store);
    this.deployments = new DeploymentRecorder(store, changes);
  }

  async plan(
    items: readonly ServiceStreamItem[],
    refresh: ReadonlySet<string> = new Set(),
  ): Promise<ServicePlans> {
    const byStream = new Map<string, ServiceStreamItem[]>();
    for (const item of items) {
      const streamItems = byStream.get(item.streamId);
      if (streamItems) streamItems.push(item);
      else byStream.set(item.streamId, [item]);
    }
    // The catalog is asked alongside, for every deploy: fewer round trips in a row per batch.
    const [windows, candidates] = await Promise.all([
      this.windows.windowsOf(byStream.keys(), refresh),
      ChangeCandidates.lookUp(
        this.sql,
        items.flatMap(({ observation }) =>
          observation.kind === 'deployment' ? [observation] : [],
        ),
      ),
    ]);
    const batch = await this.lookUp(items, windows, candidates);

    const alreadyRecorded: number[] = [];
    const streams: StreamPlan[] = [];
    const queue = [...byStream];
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [streamId, streamItems] = next;
          const window = windows.get(streamId) as ServiceWindow;
          const plan = await this.planStream(streamId, streamItems, window, batch);
          alreadyRecorded.push(...plan.alreadyRecorded);
          if (plan.stream) streams.push(plan.stream);
        }
      }),
    );
    return { alreadyRecorded, streams };
  }

  /** Keeps the cached window in step with what this process appended. */
  appended(result: AppendResult): void {
    this.windows.appended(result.streamId, result.events);
  }

  /** Whether the markers the windows do not hold are stored further back: once for the batch. */
  private async lookUp(
    items: readonly ServiceStreamItem[],
    windows: ReadonlyMap<string, ServiceWindow>,
    candidates: ChangeCandidates,
  ): Promise<Batch> {
    const markers = new Map<number, string>();
    const unseen = new Set<string>();
    const beyondWindows: string[] = [];
    for (const item of items) {
      const marker = markerOf(item);
      markers.set(item.index, marker);
      const window = windows.get(item.streamId) as ServiceWindow;
      if (window.has(marker)) continue;
      unseen.add(marker);
      // Only a window that does not reach back to the stream's start can miss it.
      if (!window.wholeStream) beyondWindows.push(marker);
    }
    const storedBeyondWindows = await this.store.storedEventIds(beyondWindows);
    return {
      markers,
      storedBefore: (marker) => !unseen.has(marker) || storedBeyondWindows.has(marker),
      candidates,
    };
  }

  private async planStream(
    streamId: string,
    items: readonly ServiceStreamItem[],
    window: ServiceWindow,
    { markers, storedBefore, candidates }: Batch,
  ): Promise<{ alreadyRecorded: number[]; stream: StreamPlan | null }> {
    const expected: ExpectedRevision = window.head < 0 ? 'no-stream' : window.head;
    const alreadyRecorded: number[] = [];
    const planned: Array<{ index: number; events: number }> = [];
    const events: ProposedEvent[] = [];
    for (const { index, observation, origin } of items) {
      const marker = markers.get(index) as string;
      // Stored before, or planned earlier in this batch (the window holds it then). A marker
      // stored beyond the window cannot be compared: taken as a repeat.
      if (storedBefore(marker) || window.has(marker)) {
        const recorded = window.digestOf(marker);
        if (recorded !== undefined && recorded !== observationDigest(observation)) {
          throw new ConflictingRedelivery(observation.sourceId);
        }
        alreadyRecorded.push(index);
        continue;
      }
      const mine =
        observation.kind === 'deployment'
          ? await this.deployments.serviceEvents(observation, { window, candidates, origin })
          : mergeEvents(observation, origin);
      const head = window.head;
      window = window.plus(mine.map((event, i) => ({ ...event, revision: head + 1 + i })));
      planned.push({ index, events: mine.length });
      events.push(...mine);
    }
    const stream =
      planned.length > 0 ? { append: { streamId, expected, events }, items: planned } : null;
    return { alreadyRecorded, stream };
  }
}

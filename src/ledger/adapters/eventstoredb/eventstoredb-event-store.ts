import {
  BACKWARDS,
  END,
  type EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  isCommandError,
  ErrorType,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
} from '../../event-store';
import { chainEvents, sameContent, type StreamHead } from '../../hash-chain';
import type { ProposedEvent, RecordedEvent } from '../../ledger-event';
import {
  DuplicateEventConflict,
  UnstorableEvent,
  WrongExpectedRevision,
} from '../../ledger-errors';
import { closeClient, readAllFiltered } from './esdb-client-extensions';
import {
  assertSeparate,
  CLAIM_EVENT_TYPE,
  claimEventId,
  claimedStream,
  claimStreamOf,
  DEFAULT_CLAIM_PREFIX,
} from './esdb-event-id-claim';
import { actualRevisionOf, type ErrorContext, toLedgerError } from './esdb-errors';
import {
  assertStorable,
  fromEsdbEvent,
  isSystemEvent,
  normalizeEventId,
  type StoredEsdbEvent,
  toEsdbEvent,
} from './esdb-event-mapping';
import { compareEsdbPositions, decodeEsdbPosition, type EsdbPosition } from './esdb-position';

export const DEFAULT_STREAM_PREFIXES: readonly string[] = ['change-', 'service-', 'alert-'];

export interface EventStoreDbStoreOptions {
  /**
   * Stream-name prefixes that make up the ledger. `readAll` and `subscribe` ask the server for
   * these streams only, and `append` refuses any other stream so nothing escapes the feed.
   */
  readonly streamPrefixes?: readonly string[];
  /** Events per read while scanning a stream for already-stored event ids before an append. */
  readonly scanPageSize?: number;
  /** Appends lost to concurrent writers before giving up with WrongExpectedRevision. */
  readonly maxAppendAttempts?: number;
  /** Subscription drops (slow consumer, server restart) survived in a row before failing. */
  readonly maxSubscriptionDrops?: number;
  /** Streams that record which stream owns each eventId; must not overlap `streamPrefixes`. */
  readonly eventIdClaimPrefix?: string;
  readonly name?: string;
}

interface StreamScan {
  readonly head: StreamHead | null;
  /** The proposed events already in the stream, by eventId. */
  readonly found: ReadonlyMap<string, RecordedEvent>;
}

/**
 * The ledger on EventStoreDB. Same semantics as the SQL store: hashes are chained here onto the
 * head read from the server and sent with the event; every append names the exact revision it
 * chained onto, so prevHash is always the true predecessor; re-appending stored event ids with
 * the same content returns the stored records.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly name: string;
  private readonly prefixes: readonly string[];
  private readonly scanPageSize: number;
  private readonly maxAppendAttempts: number;
  private readonly maxSubscriptionDrops: number;
  private readonly claimPrefix: string;
  /** The tail of each stream's queue of appends from this process. */
  private readonly appending = new Map<string, Promise<void>>();

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbStoreOptions = {},
  ) {
    this.name = options.name ?? 'eventstoredb';
    this.prefixes = [...(options.streamPrefixes ?? DEFAULT_STREAM_PREFIXES)];
    if (this.prefixes.length === 0 || this.prefixes.some((p) => p === '' || p.startsWith('$'))) {
      throw new RangeError('streamPrefixes must be non-empty strings that do not start with "$"');
    }
    this.claimPrefix = options.eventIdClaimPrefix ?? DEFAULT_CLAIM_PREFIX;
    assertSeparate(this.claimPrefix, this.prefixes);
    this.scanPageSize = options.scanPageSize ?? 500;
    this.maxAppendAttempts = options.maxAppendAttempts ?? 50;
    this.maxSubscriptionDrops = options.maxSubscriptionDrops ?? 5;
  }

  async append(
    streamId: string,
    expected: ExpectedRevision,
    proposed: readonly ProposedEvent[],
  ): Promise<AppendResult> {
    for (const event of proposed) assertStorable(streamId, event, this.prefixes);
    const events = proposed.map((e) => ({ ...e, eventId: normalizeEventId(e.eventId) }));
    const ids = new Set<string>();
    for (const event of events) {
      // A batch naming one eventId twice could never be stored (as in the SQL store).
      if (ids.has(event.eventId)) {
        throw new UnstorableEvent(event.eventId, 'eventId appears twice in the batch');
      }
      ids.add(event.eventId);
    }
    return this.guard({ streamId, expected }, () =>
      this.oneAtATime(streamId, () => this.appendChecked(streamId, expected, events, ids)),
    );
  }

  /** One append after another: EventStoreDB writes one stream per call anyway. */
  async appendMany(
    appends: readonly StreamAppend[],
  ): Promise<Array<PromiseSettledResult<AppendResult>>> {
    const settled: Array<PromiseSettledResult<AppendResult>> = [];
    for (const { streamId, expected, events } of appends) {
      settled.push(
        await this.append(streamId, expected, events).then(
          (value) => ({ status: 'fulfilled', value }),
          (reason: unknown) => ({ status: 'rejected', reason }),
        ),
      );
    }
    return settled;
  }

  /**
   * A claim names the stream an id was claimed for, but is made before the append, which may
   * then have failed: only finding the id in that stream proves it stored.
   */
  async storedEventIds(eventIds: readonly string[]): Promise<ReadonlySet<string>> {
    return this.guard({}, async () => {
      const claimed = new Map<string, Set<string>>();
      for (const eventId of eventIds.map(normalizeEventId)) {
        const owner = await this.claimOwner(claimStreamOf(eventId, this.claimPrefix));
        if (owner !== null) claimed.set(owner, (claimed.get(owner) ?? new Set()).add(eventId));
      }
      const stored = new Set<string>();
      for (const [streamId, ids] of claimed) {
        for (const eventId of (await this.scan(streamId, ids)).found.keys()) stored.add(eventId);
      }
      return new Set(eventIds.filter((eventId) => stored.has(normalizeEventId(eventId))));
    });
  }

  private async appendChecked(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
    ids: ReadonlySet<string>,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const { head, found } = await this.scan(streamId, ids);
      const actual = head?.revision ?? -1;
      let pending: readonly ProposedEvent[] = events;
      if (found.size > 0) {
        for (const event of events) {
          const stored = found.get(event.eventId);
          if (stored && !sameContent(stored, event, streamId)) {
            throw new DuplicateEventConflict(event.eventId);
          }
        }
        if (found.size === events.length) return alreadyStored(streamId, events, found);
        if (!matches(expected, actual)) throw new WrongExpectedRevision(streamId, expected, actual);
        // A partly redelivered batch: like the SQL store, `any` appends the rest, else refuse.
        if (expected !== 'any') throw new DuplicateEventConflict(found.keys().next().value!);
        pending = events.filter((e) => !found.has(e.eventId));
      } else if (!matches(expected, actual)) {
        throw new WrongExpectedRevision(streamId, expected, actual);
      }
      if (pending.length === 0) {
        return { streamId, lastRevision: actual, events: [], alreadyStored: false };
      }
      // Claimed only now, once the append is due, so a refused expectation leaves no claim.
      await Promise.all(pending.map((event) => this.claim(event.eventId, streamId)));

      const chained = chainEvents(streamId, head, pending, new Date().toISOString());
      try {
        await this.client.appendToStream(streamId, chained.map(toEsdbEvent), {
          expectedRevision: head ? BigInt(head.revision) : NO_STREAM,
        });
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // Someone appended since the scan. Scan again: it may have been these very events
        // (a concurrent redelivery), or `any` simply goes round again.
        if (attempt >= this.maxAppendAttempts) {
          throw new WrongExpectedRevision(
            streamId,
            expected,
            actualRevisionOf(error.actualVersion),
          );
        }
        continue;
      }

      // The server also acknowledges a re-append of ids already at those revisions without
      // writing (its own idempotence), so read back: only our hashes prove our write landed.
      const stored = await this.read(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(chained[0].revision),
        maxCount: chained.length,
      });
      const ours =
        stored.length === chained.length &&
        stored.every((e, i) => e.eventId === chained[i].eventId && e.hash === chained[i].hash);
      if (ours) {
        return {
          streamId,
          lastRevision: stored[stored.length - 1].revision,
          events: stored,
          alreadyStored: false,
        };
      }
      if (attempt >= this.maxAppendAttempts) {
        throw new WrongExpectedRevision(streamId, expected, stored.at(-1)?.revision ?? actual);
      }
    }
  }

  /** Throws DuplicateEventConflict when the eventId already belongs to another stream. */
  private async claim(eventId: string, streamId: string): Promise<void> {
    const claimStream = claimStreamOf(eventId, this.claimPrefix);
    try {
      await this.client.appendToStream(
        claimStream,
        jsonEvent({
          id: claimEventId({ eventId, streamId }),
          type: CLAIM_EVENT_TYPE,
          data: { eventId, streamId },
        }),
        { expectedRevision: NO_STREAM },
      );
      return; // Claimed now, or already claimed for this stream (the server's idempotence).
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    if ((await this.claimOwner(claimStream)) !== streamId)
      throw new DuplicateEventConflict(eventId);
  }

  /** The stream a claim stream's claim names; null when there is no claim. */
  private async claimOwner(claimStream: string): Promise<string | null> {
    const claims = this.client.readStream(claimStream, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    let owner: string | null = null;
    try {
      for await (const { event } of claims)
        owner = event ? claimedStream(event.type, event.data) : null;
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return owner;
  }

  /**
   * Appends to one stream from this process run one after another. They would conflict at the
   * server anyway; queueing them here saves the retries and lets a concurrent redelivery see the
   * first copy as stored (two copies chained in the same millisecond hash identically, and the
   * server acknowledges the second without writing, so only ordering tells them apart).
   */
  private async oneAtATime<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.appending.get(streamId) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.then(
      () => undefined,
      () => undefined,
    );
    this.appending.set(streamId, settled);
    try {
      return await current;
    } finally {
      if (this.appending.get(streamId) === settled) this.appending.delete(streamId);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backward = options.direction === 'backward';
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const from = options.fromRevision;
    if (limit <= 0 || (backward && from !== undefined && from < 0)) return [];
    return this.guard({ streamId }, () =>
      this.read(streamId, {
        direction: backward ? BACKWARDS : FORWARDS,
        fromRevision:
          from === undefined || (!backward && from < 0) ? (backward ? END : START) : BigInt(from),
        maxCount: limit,
      }),
    );
  }

  async readAll(after: string | null, limit: number): Promise<RecordedEvent[]> {
    const cursor = after === null ? null : decodeEsdbPosition(after);
    if (limit <= 0) return [];
    return this.guard({}, async () => {
      const result: RecordedEvent[] = [];
      let from: EsdbPosition | null = cursor;
      while (result.length < limit) {
        // A read from a position includes the event at it, hence one more than we keep.
        const want = limit - result.length + (from === null ? 0 : 1);
        const page = await readAllFiltered(this.client, {
          from: from ?? 'start',
          maxCount: want,
          streamPrefixes: this.prefixes,
        });
        for (const { event } of page) {
          if (!event || (from !== null && compareEsdbPositions(event.position, from) <= 0))
            continue;
          // Tombstones ($streamDeleted) live in our streams; the feed is the ledger's events only.
          if (isSystemEvent(event.streamId, event.type)) continue;
          if (result.length < limit) result.push(fromEsdbEvent(event));
        }
        const last = page.at(-1)?.event;
        if (page.length < want || !last) break;
        from = last.position;
      }
      return result;
    });
  }

  async *subscribe({
    after,
    signal,
    batchSize = 500,
  }: SubscribeOptions): AsyncGenerator<RecordedEvent> {
    let last = after === null ? null : decodeEsdbPosition(after);
    let drops = 0;
    while (!signal.aborted) {
      const subscription = this.client.subscribeToAll(
        {
          fromPosition: last ?? START,
          filter: streamNameFilter({ prefixes: [...this.prefixes] }),
        },
        { highWaterMark: batchSize },
      );
      // Unsubscribing cancels the call but does not end the stream we iterate: destroy it too.
      const stop = () => {
        subscription.unsubscribe().catch(() => undefined);
        subscription.destroy();
      };
      signal.addEventListener('abort', stop, { once: true });
      try {
        for await (const resolved of subscription) {
          const event = resolved.event;
          if (signal.aborted) return;
          if (!event || isSystemEvent(event.streamId, event.type)) continue;
          // The server resumes strictly after `last`; this guards the checkpoint all the same.
          if (last !== null && compareEsdbPositions(event.position, last) <= 0) continue;
          const recorded = fromEsdbEvent(event);
          last = event.position;
          drops = 0;
          yield recorded;
        }
        // The server ended a subscription that never ends: treat it as a drop.
        if (signal.aborted) return;
        if (++drops > this.maxSubscriptionDrops) {
          throw new Error('the server keeps ending the $all subscription');
        }
      } catch (error) {
        if (signal.aborted) return;
        if (!isDroppedSubscription(error) || ++drops > this.maxSubscriptionDrops) {
          throw toLedgerError(error);
        }
        // Dropped (a slow consumer, a node shutting down): resubscribe after the last event.
      } finally {
        signal.removeEventListener('abort', stop);
        stop();
      }
    }
  }

  async ping(): Promise<void> {
    await this.guard({}, async () => {
      // One event from the end of $all: a real round trip needing the same rights as the feed.
      const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
      for await (const resolved of read) void resolved;
    });
  }

  close(): Promise<void> {
    return closeClient(this.client);
  }

  /** Reads back from the head until every proposed id is found or the stream's start is reached. */
  private async scan(streamId: string, ids: ReadonlySet<string>): Promise<StreamScan> {
    const found = new Map<string, RecordedEvent>();
    let head: StreamHead | null = null;
    let from: bigint | typeof END = END;
    for (;;) {
      const page = await this.read(streamId, {
        direction: BACKWARDS,
        fromRevision: from,
        maxCount: this.scanPageSize,
      });
      if (page.length === 0) break;
      head ??= { revision: page[0].revision, hash: page[0].hash };
      for (const event of page) if (ids.has(event.eventId)) found.set(event.eventId, event);
      const lowest = page[page.length - 1].revision;
      if (found.size === ids.size || lowest === 0 || page.length < this.scanPageSize) break;
      from = BigInt(lowest - 1);
    }
    return { head, found };
  }

  private async read(
    streamId: string,
    options: {
      direction: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: bigint | typeof START | typeof END;
      maxCount: number;
    },
  ): Promise<RecordedEvent[]> {
    const stored: StoredEsdbEvent[] = [];
    try {
      // Drain the call before decoding: leaving the loop early would not cancel it.
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) stored.push(resolved.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return stored.map(fromEsdbEvent);
  }

  private async guard<T>(context: ErrorContext, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toLedgerError(error, context);
    }
  }
}

function matches(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual === -1;
  return expected === actual;
}

function alreadyStored(
  streamId: string,
  events: readonly ProposedEvent[],
  found: ReadonlyMap<string, RecordedEvent>,
): AppendResult {
  const recorded = events.map((e) => found.get(e.eventId) as RecordedEvent);
  return {
    streamId,
    lastRevision: Math.max(...recorded.map((e) => e.revision)),
    events: recorded,
    alreadyStored: true,
  };
}

/** The server ended the subscription (slow consumer, shutdown), not us and not for good. */
function isDroppedSubscription(error: unknown): boolean {
  return (
    error instanceof Error &&
    isCommandError(error) &&
    (error.type === ErrorType.TIMEOUT || error.type === ErrorType.CANCELLED)
  );
}

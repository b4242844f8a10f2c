import {
  isAtExpected,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadStreamOptions,
  type StreamAppend,
  type SubscribeOptions,
} from '../../event-store';
import { AppendSignal, followFeed } from '../../feed-follower';
import { chainEvents, sameContent, type StreamHead } from '../../hash-chain';
import type { ProposedEvent, RecordedEvent } from '../../ledger-event';
import { DuplicateEventConflict, WrongExpectedRevision } from '../../ledger-errors';
import { BatchingQueue } from '../../../common/batching-queue';
import { migrate } from '../../../sql/migrate';
import { SqlUnavailable } from '../../../sql/sql-unavailable';
import type { SqlClient } from '../../../sql/sql-client';
import { planBulkAppend, type ChainedAppend, type PendingAppend } from './bulk-append-plan';
import { LEDGER_MIGRATIONS } from './ledger-schema';
import {
  insertEvents,
  selectEvents,
  selectStreamTails,
  storedEvents,
  streamHeads,
  type StreamTail,
} from './ledger-rows';
import { decodeSqlPosition } from './sql-position';
import { sqlErrorCode, whileSqlReachable } from '../../store-reachable';
import { checkStorable, isUuid } from './storable-events';
import { StreamHeadCache } from './stream-head-cache';

const UNIQUE_VIOLATION = '23505';

/** Appends written together at most by one group commit, and stream reads per query. */
const MAX_BATCH = 500;

type Settled = PromiseSettledResult<AppendResult>;

/** The ledger on PostgreSQL or the embedded PGlite: the same SQL for both. */
export class SqlEventStore implements EventStore {
  private readonly appended = new AppendSignal();
  /** Rows never change, so a head seen once stays true for its revision: saves a round trip. */
  private readonly heads = new StreamHeadCache(10_000);
  /** Group commit: concurrent appends (many commands in flight) share one insert and commit. */
  private readonly appends = new BatchingQueue<StreamAppend, AppendResult>(
    (appends) => this.appendMany(appends),
    MAX_BATCH,
  );
  /** Concurrent reads of streams to their ends (each command loads its own) share one query. */
  private readonly tails = new BatchingQueue<StreamTail, RecordedEvent[]>(
    (tails) => this.readTails(tails),
    MAX_BATCH,
  );

  private constructor(
    readonly name: string,
    private readonly sql: SqlClient,
    private readonly pollMs: number,
  ) {}

  static async open(name: string, sql: SqlClient, pollMs = 250): Promise<SqlEventStore> {
    await migrate(sql, 'ledger', LEDGER_MIGRATIONS);
    return new SqlEventStore(name, sql, pollMs);
  }

  append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ): Promise<AppendResult> {
    return this.appends.submit({ streamId, expected, events });
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<Settled[]> {
    const settled: Settled[] = new Array<Settled>(appends.length);
    const pending: PendingAppend[] = [];
    for (const [index, { streamId, expected, events }] of appends.entries()) {
      try {
        pending.push({ index, streamId, expected, events: checkStorable(streamId, events) });
      } catch (error) {
        settled[index] = { status: 'rejected', reason: error };
      }
    }
    try {
      const oneByOne = await this.guard(() => this.appendTogether(pending, settled));
      for (const { index, streamId, expected, events } of oneByOne) {
        settled[index] = await this.appendAlone(streamId, expected, events).then(
          (value) => ({ status: 'fulfilled', value }),
          (reason: unknown) => ({ status: 'rejected', reason }),
        );
      }
    } catch (error) {
      // The store failed under us (not an append's own refusal): what is not settled shares it.
      for (const { index } of pending) settled[index] ??= { status: 'rejected', reason: error };
    }
    return settled;
  }

  /** One append on its own (checked storable), settled in every way a lone append can be. */
  private async appendAlone(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ): Promise<AppendResult> {
    return this.guard(async () => {
      for (;;) {
        const head = this.heads.at(streamId, expected) ?? (await this.head(streamId));
        const actual = head?.revision ?? -1;
        if (!isAtExpected(expected, actual)) {
          const stored = await this.alreadyStored(streamId, events);
          if (stored) return stored;
          throw new WrongExpectedRevision(streamId, expected, actual);
        }
        if (events.length === 0) {
          return { streamId, lastRevision: actual, events: [], alreadyStored: false };
        }
        try {
          const chained = chainEvents(streamId, head, events, new Date().toISOString());
          return this.inserted({ streamId, expected }, await this.insert(chained));
        } catch (error) {
          const { code, constraint } = sqlErrorCode(error);
          if (code !== UNIQUE_VIOLATION) throw error;
          if (constraint === 'ledger_events_event_id_key') {
            const stored = await this.alreadyStored(streamId, events);
            if (stored) return stored;
            if (expected !== 'any') throw new DuplicateEventConflict(events[0].eventId);
            // A partly redelivered batch: append only what is not stored yet.
            const remaining = await this.notYetStored(events);
            // Nothing of ours is stored, yet an eventId clashed: it cannot be our batch.
            if (remaining.length === events.length) throw error;
            events = remaining;
            continue;
          }
          // Another writer took the revision first: `any` simply goes round again.
          if (expected !== 'any') {
            const latest = await this.head(streamId);
            throw new WrongExpectedRevision(streamId, expected, latest?.revision ?? -1);
          }
        }
      }
    });
  }

  async storedEventIds(eventIds: readonly string[]): Promise<ReadonlySet<string>> {
    return this.guard(() => this.storedIds(eventIds));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backward = options.direction === 'backward';
    if (!backward && options.limit === undefined) {
      return this.tails.submit({ streamId, fromRevision: options.fromRevision ?? 0 });
    }
    const from = options.fromRevision ?? (backward ? Number.MAX_SAFE_INTEGER : 0);
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    return this.guard(async () => {
      const events = await selectEvents(
        this.sql,
        `WHERE stream_id = $1 AND revision ${backward ? '<=' : '>='} $2
         ORDER BY revision ${backward ? 'DESC' : 'ASC'} LIMIT $3`,
        [streamId, from, limit],
      );
      this.heads.remember(events.at(backward ? 0 : -1));
      return events;
    });
  }

  /** Each stream from its revision to its end, in one query, settled per read. */
  private async readTails(
    tails: readonly StreamTail[],
  ): Promise<Array<PromiseSettledResult<RecordedEvent[]>>> {
    const found = await this.guard(() => selectStreamTails(this.sql, tails));
    return found.map((events) => {
      this.heads.remember(events.at(-1));
      return { status: 'fulfilled', value: events };
    });
  }

  async readAll(after: string | null, limit: number): Promise<RecordedEvent[]> {
    const cursor = after === null ? null : decodeSqlPosition(after);
    return this.guard(() =>
      selectEvents(
        this.sql,
        `WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
           AND ($1::text IS NULL OR (tx_id, position) > ($1::xid8, $2::bigint))
         ORDER BY tx_id, position LIMIT $3`,
        [cursor?.tx ?? null, cursor?.pos ?? null, limit],
      ),
    );
  }

  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    return followFeed(
      (after, limit) => this.readAll(after, limit),
      this.appended,
      this.pollMs,
      options,
    );
  }

  async ping(): Promise<void> {
    await this.guard(() => this.sql.query('SELECT 1'));
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  /**
   * Inserts in one statement every append that finds its stream where it expects it, and
   * settles those; returns the rest, to be appended one by one. An insert refused by a unique
   * key (a redelivery, or a writer that moved a stream since its head was read) settles the
   * appends found already stored, and goes round once more on fresh heads; refused again, it
   * leaves everything to the one-by-one appends, as it does any other failure of the insert
   * but the database's being unreachable, so that an append that fails fails alone.
   */
  private async appendTogether(
    pending: readonly PendingAppend[],
    settled: Settled[],
  ): Promise<readonly PendingAppend[]> {
    for (let attempt = 0; ; attempt++) {
      const heads = await this.headsOf(pending, attempt === 0);
      const plan = planBulkAppend(
        pending,
        (streamId) => heads.get(streamId) ?? null,
        new Date().toISOString(),
      );
      if (plan.together.length === 0) return plan.oneByOne;
      try {
        const recorded = await this.insert(plan.together.flatMap((c) => c.events));
        this.settleInserted(plan.together, recorded, settled);
        return plan.oneByOne;
      } catch (error) {
        if (sqlErrorCode(error).code !== UNIQUE_VIOLATION) {
          // A database that cannot be reached fails every append; anything else one of them
          // caused fails that one alone, found by going one by one.
          if (error instanceof SqlUnavailable || pending.length === 1) throw error;
          return pending;
        }
        if (attempt > 0) return pending;
        pending = await this.settleStored(pending, settled);
      }
    }
  }

  private settleInserted(
    together: readonly ChainedAppend[],
    recorded: readonly RecordedEvent[],
    settled: Settled[],
  ): void {
    let offset = 0;
    for (const { append, events } of together) {
      const mine = recorded.slice(offset, (offset += events.length));
      settled[append.index] = {
        status: 'fulfilled',
        value: this.inserted(append, mine),
      };
    }
  }

  /** Settles the appends whose events are all stored already (or clash); returns the others. */
  private async settleStored(
    pending: readonly PendingAppend[],
    settled: Settled[],
  ): Promise<PendingAppend[]> {
    const stored = await storedEvents(
      this.sql,
      pending.flatMap((append) => append.events.map((e) => e.eventId)),
    );
    return pending.filter(({ index, streamId, events }) => {
      try {
        const value = storedResult(streamId, events, stored);
        if (value) settled[index] = { status: 'fulfilled', value };
        return value === null;
      } catch (error) {
        settled[index] = { status: 'rejected', reason: error };
        return false;
      }
    });
  }

  /**
   * The head each stream's first append chains onto. A first try trusts what it can: a head
   * cached at an exact expected revision, and no head at all for `no-stream` — were either
   * wrong, the insert fails on its unique revision and the next try reads every head afresh.
   */
  private async headsOf(
    pending: readonly PendingAppend[],
    firstTry: boolean,
  ): Promise<Map<string, StreamHead>> {
    const heads = new Map<string, StreamHead>();
    const seen = new Set<string>();
    const unknown: string[] = [];
    for (const { streamId, expected } of pending) {
      if (seen.has(streamId)) continue;
      seen.add(streamId);
      if (firstTry && expected === 'no-stream') continue;
      const cached = firstTry ? this.heads.at(streamId, expected) : null;
      if (cached) heads.set(streamId, cached);
      else unknown.push(streamId);
    }
    if (unknown.length === 0) return heads;
    for (const [streamId, head] of await streamHeads(this.sql, unknown)) {
      heads.set(streamId, head);
    }
    return heads;
  }

  private async head(streamId: string): Promise<StreamHead | null> {
    return (await streamHeads(this.sql, [streamId])).get(streamId) ?? null;
  }

  private async insert(chained: Parameters<typeof insertEvents>[1]): Promise<RecordedEvent[]> {
    const recorded = await insertEvents(this.sql, chained);
    this.appended.notify();
    return recorded;
  }

  private inserted(
    { streamId, expected }: { streamId: string; expected: ExpectedRevision },
    recorded: readonly RecordedEvent[],
  ): AppendResult {
    const last = recorded[recorded.length - 1];
    // Only an exact expectation is ever answered from the cache: a writer appending with `any`
    // (ingest's alerts, one new stream each) would only churn it.
    if (expected !== 'any') this.heads.remember(last);
    return { streamId, lastRevision: last.revision, events: recorded, alreadyStored: false };
  }

  /** Idempotent redelivery: the same eventIds with the same content are already stored. */
  private async alreadyStored(
    streamId: string,
    events: readonly ProposedEvent[],
  ): Promise<AppendResult | null> {
    const stored = await storedEvents(
      this.sql,
      events.map((e) => e.eventId),
    );
    return storedResult(streamId, events, stored);
  }

  private async notYetStored(events: readonly ProposedEvent[]): Promise<ProposedEvent[]> {
    const stored = await this.storedIds(events.map((e) => e.eventId));
    return events.filter((e) => !stored.has(e.eventId));
  }

  private async storedIds(eventIds: readonly string[]): Promise<Set<string>> {
    // Anything but a UUID can never have been stored (and would not cast).
    const candidates = eventIds.filter(isUuid);
    if (candidates.length === 0) return new Set();
    const rows = await this.sql.query<{ event_id: string }>(
      'SELECT event_id::text AS event_id FROM ledger_events WHERE event_id = ANY($1::uuid[])',
      [candidates.map((id) => id.toLowerCase())],
    );
    const stored = new Set(rows.map((r) => r.event_id));
    return new Set(candidates.filter((id) => stored.has(id.toLowerCase())));
  }

  private guard<T>(work: () => Promise<T>): Promise<T> {
    return whileSqlReachable(work);
  }
}

/**
 * The stored records when every event is stored with the same content (an idempotent
 * redelivery); null when some are not stored; DuplicateEventConflict when a stored one differs.
 */
function storedResult(
  streamId: string,
  events: readonly ProposedEvent[],
  stored: ReadonlyMap<string, RecordedEvent>,
): AppendResult | null {
  const found = events.map((event) => stored.get(event.eventId));
  for (const [i, match] of found.entries()) {
    if (match && !sameContent(match, events[i], streamId))
      throw new DuplicateEventConflict(events[i].eventId);
  }
  if (events.length === 0 || found.some((match) => match === undefined)) return null;
  const recorded = found as RecordedEvent[];
  return {
    streamId,
    lastRevision: Math.max(...recorded.map((e) => e.revision)),
    events: recorded,
    alreadyStored: true,
  };
}

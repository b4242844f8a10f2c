import { CommandBus } from '@nestjs/cqrs';
import type { ChangeCommands } from '../../changes/execute-change-command';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { SERVICE_STREAM_PREFIX, serviceStreamId } from '../../deployments/domain/service-events';
import { EVENT_STORE, type EventStore, type StreamAppend } from '../../ledger/event-store';
import { DuplicateEventConflict, WrongExpectedRevision } from '../../ledger/ledger-errors';
import { ConflictingRedelivery } from '../observation';
import { admitObservation } from './admit-observation';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { alertAppend } from './alert-recorder';
import { mergeEvents, mergeStreamId } from './change-merged';
import type { IngestItem, IngestOutcome, ObservationRecorder } from './ingest-item';
import {
  ServiceStreamPlanner,
  type ServiceStreamItem,
  type StreamPlan,
} from './service-stream-planner';

/** Times a batch re-plans service streams that other writers keep moving, before giving up. */
const MAX_ROUNDS = 5;

const ALREADY_RECORDED: IngestOutcome = { recorded: 0, alreadyRecorded: 1 };

/** An append of the batch and the items it records; planned ones expect an exact revision. */
interface BatchAppend extends StreamPlan {
  readonly planned: boolean;
}

interface Sorted {
  /** Appended wherever their stream ends: nothing about them depends on what is stored. */
  readonly direct: BatchAppend[];
  /** Decided on their service stream's history, in order. */
  readonly onServiceStreams: ServiceStreamItem[];
}

function direct(index: number, append: StreamAppend): BatchAppend {
  return { append, items: [{ index, events: append.events.length }], planned: false };
}

/**
 * Alerts, incidents and merges kept off service streams need no decision; deploys, and merges
 * on a service's stream, are planned on that stream's history. Checked for the whole batch
 * before anything is written, so a MalformedMessage leaves nothing half-recorded.
 */
function sort(items: readonly IngestItem[]): Sorted {
  const sorted: Sorted = { direct: [], onServiceStreams: [] };
  for (const [index, { observation, origin }] of items.entries()) {
    switch (observation.kind) {
      case 'alert':
      case 'incident':
        sorted.direct.push(direct(index, alertAppend(observation, origin)));
        break;
      case 'deployment': {
        const streamId = serviceStreamId(observation.service);
        sorted.onServiceStreams.push({ index, streamId, observation, origin });
        break;
      }
      case 'change-merged': {
        const streamId = mergeStreamId(observation);
        if (streamId.startsWith(SERVICE_STREAM_PREFIX)) {
          sorted.onServiceStreams.push({ index, streamId, observation, origin });
        } else {
          const events = mergeEvents(observation, origin);
          sorted.direct.push(direct(index, { streamId, expected: 'any', events }));
        }
      }
    }
  }
  return sorted;
}

const total = (outcomes: readonly IngestOutcome[]): IngestOutcome =>
  outcomes.reduce((a, b) => ({
    recorded: a.recorded + b.recorded,
    alreadyRecorded: a.alreadyRecorded + b.alreadyRecorded,
  }));

/**
 * Turns what CI/CD and monitoring report into ledger events, exactly once each. A batch is
 * written with one appendMany call (more only when another writer moved a service stream
 * meanwhile), keeping the order of what it reports about each stream.
 */
@Injectable()
export class IngestLedger implements ObservationRecorder {
  private readonly services: ServiceStreamPlanner;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) sql: SqlClient,
    @Inject(CommandBus) changes: ChangeCommands,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'ingestMaxFutureSkewSeconds'>,
  ) {
    this.services = new ServiceStreamPlanner(store, sql, changes);
  }

  async record(received: readonly IngestItem[]): Promise<IngestOutcome> {
    if (received.length === 0) return { recorded: 0, alreadyRecorded: 0 };
    const items = received.map((item) =>
      admitObservation(item, this.config.ingestMaxFutureSkewSeconds),
    );
    const sorted = sort(items);
    const outcomes = new Array<IngestOutcome>(items.length);
    let appends = sorted.direct;
    let replan = sorted.onServiceStreams;
    let refresh = new Set<string>();
    for (let round = 1; ; round++) {
      const plans = await this.services.plan(replan, refresh);
      for (const index of plans.alreadyRecorded) outcomes[index] = ALREADY_RECORDED;
      const planned = plans.streams.map((plan) => ({ ...plan, planned: true }));
      const conflicts = await this.append([...appends, ...planned], outcomes, items);
      if (conflicts.length === 0) return total(outcomes);
      if (round === MAX_ROUNDS) throw conflicts[0].error;
      // Another writer moved these streams: catch up with it and decide again.
      const conflicted = new Set(conflicts.flatMap(({ items }) => items.map((i) => i.index)));
      appends = [];
      replan = sorted.onServiceStreams.filter(({ index }) => conflicted.has(index));
      refresh = new Set(replan.map(({ streamId }) => streamId));
    }
  }

  /**
   * Appends everything in one call and settles the outcomes; returns the planned appends
   * refused for a wrong expected revision. Any other refusal fails the batch, to be retried.
   */
  private async append(
    appends: readonly BatchAppend[],
    outcomes: IngestOutcome[],
    items: readonly IngestItem[],
  ): Promise<Array<BatchAppend & { error: WrongExpectedRevision }>> {
    const settled = await this.store.appendMany(appends.map(({ append }) => append));
    const conflicts: Array<BatchAppend & { error: WrongExpectedRevision }> = [];
    let failure: { reason: unknown } | null = null;
    for (const [k, outcome] of settled.entries()) {
      const batchAppend = appends[k];
      if (outcome.status === 'fulfilled') {
        const { alreadyStored } = outcome.value;
        for (const { index, events } of batchAppend.items) {
          outcomes[index] = alreadyStored
            ? ALREADY_RECORDED
            : { recorded: events, alreadyRecorded: 0 };
        }
        if (batchAppend.planned) this.services.appended(outcome.value);
      } else if (outcome.reason instanceof WrongExpectedRevision && batchAppend.planned) {
        conflicts.push({ ...batchAppend, error: outcome.reason });
      } else if (outcome.reason instanceof DuplicateEventConflict) {
        // Its ids are the sender's for one occurrence: the store holds another version of it.
        const { observation } = items[batchAppend.items[0].index];
        failure ??= { reason: new ConflictingRedelivery(observation.sourceId) };
      } else failure ??= { reason: outcome.reason };
    }
    if (failure) throw failure.reason;
    return conflicts;
  }
}

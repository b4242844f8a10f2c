import { Inject, Injectable } from '@nestjs/common';
import { ExecuteChangeCommandHandler } from '../../changes/application/execute-change-command.handler';
import { repositoryStreamId, serviceStreamId } from '../../deployments/domain/service-events';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { MalformedMessage, type ChangeMergedObservation, type Observation } from '../observation';
import { AlertRecorder } from './alert-recorder';
import { appendIngested } from './append-ingested';
import { ChangeMatcher } from './change-matcher';
import { DeploymentRecorder } from './deployment-recorder';
import type { IngestItem, IngestOrigin, IngestOutcome, ObservationRecorder } from './ingest-item';

/** Independent streams are recorded side by side, this many at a time. */
const CONCURRENCY = 16;

/** Observations that touch the same streams must be recorded in the order they came. */
function orderingKey(observation: Observation): string {
  switch (observation.kind) {
    case 'deployment':
      return `service:${observation.service}`;
    case 'change-merged':
      return mergeStreamId(observation);
    case 'alert':
      return `alert:${observation.alertId}`;
    case 'incident':
      return `incident:${observation.incidentId}`;
  }
}

function mergeStreamId(merged: ChangeMergedObservation): string {
  if (merged.service !== undefined) return serviceStreamId(merged.service);
  if (merged.repository !== undefined) return repositoryStreamId(merged.repository);
  throw new MalformedMessage('a merged change needs a service or a repository', 'service');
}

const sum = (a: IngestOutcome, b: IngestOutcome): IngestOutcome => ({
  recorded: a.recorded + b.recorded,
  alreadyRecorded: a.alreadyRecorded + b.alreadyRecorded,
});

/** Turns what CI/CD and monitoring report into ledger events, exactly once each. */
@Injectable()
export class IngestLedger implements ObservationRecorder {
  private readonly deployments: DeploymentRecorder;
  private readonly alerts: AlertRecorder;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) sql: SqlClient,
    changes: ExecuteChangeCommandHandler,
  ) {
    this.deployments = new DeploymentRecorder(store, new ChangeMatcher(store, sql), changes);
    this.alerts = new AlertRecorder(store);
  }

  async record(items: readonly IngestItem[]): Promise<IngestOutcome> {
    const groups = new Map<string, IngestItem[]>();
    for (const item of items) {
      const key = orderingKey(item.observation);
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    const queue = [...groups.values()];
    let total: IngestOutcome = { recorded: 0, alreadyRecorded: 0 };
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
        for (let group = queue.shift(); group; group = queue.shift()) {
          for (const { observation, origin } of group) {
            const outcome = await this.recordOne(observation, origin);
            total = sum(total, outcome);
          }
        }
      }),
    );
    return total;
  }

  private recordOne(observation: Observation, origin: IngestOrigin): Promise<IngestOutcome> {
    switch (observation.kind) {
      case 'deployment':
        return this.deployments.record(observation, origin);
      case 'alert':
      case 'incident':
        return this.alerts.record(observation, origin);
      case 'change-merged': {
        const { repository, service, commit, pullRequest, changeId, format, occurredAt } =
          observation;
        return appendIngested(
          this.store,
          mergeStreamId(observation),
          observation.sourceId,
          [
            {
              type: 'ChangeMerged',
              data: { repository, service, commit, pullRequest, changeId, format, at: occurredAt },
            },
          ],
          `ingest:${format}`,
          occurredAt,
          origin,
        );
      }
    }
  }
}

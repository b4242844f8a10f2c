import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import type { RecordedEvent } from '../../ledger/ledger-event';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { listChanges, type ChangeListFilter } from '../../projections/change-catalog/list-changes';
import { DomainError } from '../domain/domain-error';
import { isExisting, toChangeView, type ChangeView } from './change-view';
import { loadChange } from './load-change';

/** What people read about changes: current state and trail from the ledger, lists from SQL. */
@Injectable()
export class ChangeQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  async change(changeId: string): Promise<ChangeView> {
    const { state, revision } = await loadChange(this.store, changeId);
    if (!isExisting(state)) throw notFound(changeId);
    return toChangeView(state, revision);
  }

  async trail(changeId: string): Promise<RecordedEvent[]> {
    const { events } = await loadChange(this.store, changeId);
    if (events.length === 0) throw notFound(changeId);
    return [...events];
  }

  list(filter: ChangeListFilter) {
    return listChanges(this.sql, filter);
  }
}

function notFound(changeId: string): DomainError {
  return new DomainError('change-not-found', `change ${changeId} does not exist`);
}

import { Inject, Injectable } from '@nestjs/common';
import { FreezeCalendarReader } from '../../freezes/freeze-calendar.reader';
import { restrictedPeriods } from '../../freezes/domain/freeze-calendar';
import { POLICY_IN_FORCE } from '../../policy/policy-in-force.token';
import { windowConflicts, type Conflict } from '../../policy/conflicts/change-conflicts';
import type { PolicyInForce } from '../../policy/policy-in-force';
import { blackoutPeriods, restrictionsOverlapping } from '../../policy/windows/restricted-periods';
import { spanOf } from '../../policy/windows/span';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import type { RecordedEvent } from '../../ledger/ledger-event';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { listChanges, type ChangeListFilter } from '../read-model/list-changes';
import { openForApproval, type OpenForApproval } from '../read-model/open-for-approval';
import type { Principal } from '../../kernel/principal';
import { awaitsApprovalFrom } from '../domain/awaits-approval-from';
import { DomainError } from '../../kernel/domain-error';
import { isExisting, toChangeView, type ChangeView } from './change-view';
import type { TimeWindow } from '../domain/change-window';
import { loadChange } from '../load-change';
import { OverlappingChangesReader } from './overlapping-changes.reader';

export interface ChangeConflicts {
  readonly changeId: string;
  /** The window the conflicts are of: the scheduled one, else the planned one. */
  readonly window: TimeWindow | null;
  readonly conflicts: readonly Conflict[];
}

/** What people read about changes: current state and trail from the ledger, lists from SQL. */
@Injectable()
export class ChangeQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(POLICY_IN_FORCE) private readonly policy: PolicyInForce,
    private readonly overlaps: OverlappingChangesReader,
    private readonly freezes: FreezeCalendarReader,
  ) {}

  /**
   * What the change's window runs into now: other changes on its services or what they depend
   * on, freezes and blackouts, each with what the policy does about it.
   */
  async conflicts(changeId: string): Promise<ChangeConflicts> {
    const { state } = await loadChange(this.store, changeId);
    if (!isExisting(state)) throw notFound(changeId);
    const window = state.window ?? state.request.plannedWindow ?? null;
    if (window === null) return { changeId, window, conflicts: [] };
    const { environment, services } = state.request;
    const [overlapping, calendar] = await Promise.all([
      this.overlaps.overlapping(changeId, services, environment, window),
      this.freezes.current(),
    ]);
    const document = this.policy.document;
    const restricted = restrictionsOverlapping(
      [...blackoutPeriods(document), ...restrictedPeriods(calendar)],
      spanOf(window),
      environment,
      services,
    );
    const emergency = state.assessment?.route === 'emergency';
    return {
      changeId,
      window,
      conflicts: windowConflicts(document, overlapping, restricted, emergency),
    };
  }

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

  /**
   * The changes waiting for this approver, oldest first: the catalog names the open ones, each
   * change's own stream says whether it still needs this principal's approval.
   */
  async awaitingApprovalBy(principal: Principal, limit: number) {
    const waiting: Array<ChangeView & Pick<OpenForApproval, 'approvalOverdue'>> = [];
    let after: OpenForApproval | null = null;
    while (waiting.length < limit) {
      const page = await openForApproval(this.sql, principal.id, after, limit);
      for (const open of page) {
        const { state, revision } = await loadChange(this.store, open.changeId);
        if (isExisting(state) && awaitsApprovalFrom(state, principal)) {
          waiting.push({ ...toChangeView(state, revision), approvalOverdue: open.approvalOverdue });
          if (waiting.length === limit) break;
        }
      }
      if (page.length < limit) break;
      after = page[page.length - 1];
    }
    return { items: waiting };
  }
}

function notFound(changeId: string): DomainError {
  return new DomainError('change-not-found', `change ${changeId} does not exist`);
}

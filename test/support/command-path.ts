import { ChangeFactsReader } from '../../src/delivery/change-facts.reader';
import { DecisionContext } from '../../src/changes/application/decision-context';
import { ExecuteChangeCommandHandler } from '../../src/changes/application/execute-change-command.handler';
import { OverlappingChangesReader } from '../../src/changes/application/overlapping-changes.reader';
import { ANYTIME_POLICY } from '../../src/changes/domain/fixtures/decision-context';
import { FreezeCalendarReader } from '../../src/freezes/freeze-calendar.reader';
import type { EventStore } from '../../src/ledger/event-store';
import { Metrics } from '../../src/observability/metrics';
import type { PolicyInForce } from '../../src/policy/policy-in-force';
import { ProjectionRunner } from '../../src/ledger/projection-runner';
import { projectionsFor } from '../../src/read-models';
import { ServiceCatalogQueries } from '../../src/services/read-model/service-catalog-queries';
import type { SqlClient } from '../../src/sql/sql-client';

/**
 * The change command path as one application instance builds it, outside Nest: the read-model
 * tables its facts come from are created (not filled: no projection runs here), and commands
 * are decided under `policy`.
 */
export async function changeCommandHandler(
  store: EventStore,
  sql: SqlClient,
  policy: PolicyInForce = ANYTIME_POLICY,
): Promise<ExecuteChangeCommandHandler> {
  for (const projection of projectionsFor({ whatChangedWindowHours: 4 })) {
    await new ProjectionRunner(store, sql, projection, { batchSize: 1, idleMs: 1 }).prepare();
  }
  const context = new DecisionContext(
    policy,
    new ChangeFactsReader(sql, new ServiceCatalogQueries(sql)),
    new FreezeCalendarReader(store),
    new OverlappingChangesReader(sql),
  );
  return new ExecuteChangeCommandHandler(store, context, new Metrics());
}

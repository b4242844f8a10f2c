import { ALERT_STREAM_PREFIX } from '../../alerts/domain/alert-events';
import type { RecordedEvent } from '../../ledger/ledger-event';
import type { Projection } from '../../ledger/projection';
import {
  catalogEventOf,
  dependencyTableScript,
  replaceDependencies,
} from '../../services/read-model/dependency-edges';
import type { SqlClient } from '../../sql/sql-client';
import { ALERT_SCRIPT, ALERT_TABLES, applyToAlerts } from './alert-record';
import {
  applyToTimeline,
  DEPLOYMENT_TIMELINE_SCRIPT,
  DEPLOYMENT_TIMELINE_TABLES,
  TimelineBatch,
} from './deployment-timeline';

/**
 * The incident responder's read model: every deployment on a timeline indexed by (service,
 * time), the dependency graph, and each alert with the suspects stored when it fired. One
 * projection holds all three because the stored suspects must depend only on the feed up to
 * the alert: read from another read model's tables, they would depend on which one had caught
 * up further, and a rebuild could store different ones.
 */
export const INCIDENT_CORRELATION = 'incident-correlation';

/** The window is the one of the suspects stored when an alert fires (WHAT_CHANGED_WINDOW_HOURS). */
export const incidentCorrelation = (windowHours: number): Projection => ({
  name: INCIDENT_CORRELATION,
  tables: [...DEPLOYMENT_TIMELINE_TABLES, 'incident_dependencies', ...ALERT_TABLES],
  migrations: [
    {
      version: 1,
      script: `${DEPLOYMENT_TIMELINE_SCRIPT}
        ${dependencyTableScript('incident_dependencies')}
        ${ALERT_SCRIPT}`,
    },
  ],

  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    // Timeline writes are folded in memory and written together; an event that reads the
    // tables (an alert's suspects), or that the batch cannot take, is applied on its own once
    // what precedes it in the feed is written, so the rows are those of one event at a time.
    const batch = new TimelineBatch();
    for (const event of events) {
      const catalogEvent = catalogEventOf(event);
      const alone = catalogEvent !== null || event.streamId.startsWith(ALERT_STREAM_PREFIX);
      if (!alone && batch.add(event)) continue;
      await batch.flush(tx);
      if (catalogEvent) await replaceDependencies(tx, 'incident_dependencies', catalogEvent);
      await applyToTimeline(tx, event);
      await applyToAlerts(tx, event, windowHours);
    }
    await batch.flush(tx);
  },
});

import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Messages refused for reporting something else under an id already recorded, by route. */
export function conflictingRedeliveries(registry: Registry): Counter<'route'> {
  return new Counter({
    name: 'ledger_ingest_conflicting_redeliveries_total',
    help:
      'Ingested messages refused because their id was already recorded with other content ' +
      '(route: kafka or webhook)',
    labelNames: ['route'],
    registers: [registry],
  });
}

/** One registry per application instance, so tests can run several apps in one process. */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'ledger_events_appended_total',
    help: 'Events appended to the ledger, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly appendConflicts = new Counter({
    name: 'ledger_append_conflicts_total',
    help: 'Appends that lost an optimistic-concurrency race and were retried or refused',
    registers: [this.registry],
  });

  readonly ingestConflicts = conflictingRedeliveries(this.registry);

  readonly refusalsThrottled = new Counter({
    name: 'ledger_refusals_throttled_total',
    help:
      'Refused attempts not recorded on the ledger because the same principal, change and rule ' +
      'already had one recorded in that minute',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

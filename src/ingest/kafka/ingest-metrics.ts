import { Counter, Gauge, type Registry } from 'prom-client';
import { conflictingRedeliveries } from '../../observability/metrics';

/** Why a message went to the dead-letter topic: a closed set, so the label stays bounded. */
export type DeadLetterReason = 'malformed' | 'unrecordable' | 'conflict' | 'unexpected';

/** The ingest consumer's Prometheus metrics, registered on the application's registry. */
export class IngestMetrics {
  readonly messages: Counter<'topic' | 'outcome'>;
  readonly deadLetters: Counter<'topic' | 'reason'>;
  readonly recordRetries: Counter<'topic' | 'error'>;
  readonly lag: Gauge<'topic' | 'partition'>;

  constructor(
    registry: Registry,
    /** Shared with the webhooks when the application already registered it. */
    readonly conflicts: Counter<'route'> = conflictingRedeliveries(registry),
  ) {
    this.messages = new Counter({
      name: 'ledger_ingest_messages_total',
      help:
        'Kafka messages ingested by outcome: recorded; duplicate (the ledger already held all ' +
        'of it, judged per bulk append); ignored (reports nothing to record); dead_lettered',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'ledger_ingest_dlq_total',
      help: 'Messages sent to the dead-letter topic, by source topic and reason',
      labelNames: ['topic', 'reason'],
      registers: [registry],
    });
    this.recordRetries = new Counter({
      name: 'ledger_ingest_record_retries_total',
      help: 'Appends of ingested messages retried because the ledger failed (store_unavailable or unexpected)',
      labelNames: ['topic', 'error'],
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'ledger_ingest_consumer_lag',
      help: 'Messages in the partition not yet recorded, as of the last batch',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    });
  }
}

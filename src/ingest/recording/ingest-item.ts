import type { Observation } from '../observation';

/** Where an observation came from, recorded in the metadata of the events it leads to. */
export interface IngestOrigin {
  /** `kafka:<topic>` or `webhook:<format>`. */
  readonly source: string;
  /** Kafka: `<topic>/<partition>/<offset>`; HTTP: the delivery id or the request's id. */
  readonly correlationId: string;
  /**
   * The authenticated sender: the ingest key's principal, the GitHub webhook, or the Kafka
   * consumer's configured principal. It is the recorded actor, and it scopes the sender's ids.
   */
  readonly sender: string;
  /** When the ledger received it, by its own clock (ISO-8601). */
  readonly receivedAt: string;
}

export interface IngestItem {
  readonly observation: Observation;
  readonly origin: IngestOrigin;
}

export interface IngestOutcome {
  /** Ledger events newly written. */
  readonly recorded: number;
  /** Observations whose events were already in the ledger (redelivery, replay). */
  readonly alreadyRecorded: number;
}

/**
 * Records observations in the ledger, exactly once per observation however often it is
 * delivered. Throws StoreUnavailable or SqlUnavailable when the store or the read-model
 * database is down (`isStoreOutage`; nothing half-recorded is left that a retry would not
 * complete); observations about the same stream keep their order.
 */
export interface ObservationRecorder {
  record(items: readonly IngestItem[]): Promise<IngestOutcome>;
}

export const OBSERVATION_RECORDER = Symbol('ObservationRecorder');

import { StoreUnavailable } from '../../../src/ledger/ledger-errors';
import { MalformedMessage } from '../../../src/ingest/observation';
import type {
  IngestItem,
  IngestOutcome,
  ObservationRecorder,
} from '../../../src/ingest/recording/ingest-item';

/**
 * A recorder with the ledger's idempotency: an observation is recorded once per sourceId,
 * however often it is delivered (the real ledger gets this from deterministic event ids).
 * It can play an unavailable store or refuse chosen observations.
 */
export class MemoryRecorder implements ObservationRecorder {
  /** Every item handed over, in call order, duplicates included. */
  readonly deliveries: IngestItem[] = [];
  readonly recorded = new Map<string, IngestItem>();
  calls = 0;
  failedCalls = 0;
  storeUp = true;

  constructor(private readonly refuse: (item: IngestItem) => boolean = () => false) {}

  record(items: readonly IngestItem[]): Promise<IngestOutcome> {
    this.calls++;
    if (!this.storeUp) {
      this.failedCalls++;
      return Promise.reject(new StoreUnavailable(new Error('connection refused')));
    }
    const refused = items.find(this.refuse);
    if (refused) {
      return Promise.reject(new MalformedMessage('no stream can take this observation', 'service'));
    }
    let recorded = 0;
    for (const item of items) {
      this.deliveries.push(item);
      if (this.recorded.has(item.observation.sourceId)) continue;
      this.recorded.set(item.observation.sourceId, item);
      recorded++;
    }
    return Promise.resolve({ recorded, alreadyRecorded: items.length - recorded });
  }
}

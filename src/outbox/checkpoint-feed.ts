import type { OutboxFeed } from './ledger-outbox';
import { servedNote, type CheckpointStore } from '../ledger/checkpointer/checkpoint-store';

/**
 * The signed checkpoints, smallest first, for the outbox: copies outside the database. A
 * message's value is the signed note with the cosignatures it had when published, its key the
 * origin; its `type` header (LedgerCheckpoint) tells it from the events on the same topic.
 */
export function checkpointFeed(checkpoints: CheckpointStore, origin: string): OutboxFeed {
  return {
    name: 'checkpoints',
    // The outbox may start before the checkpointer: the table must be there.
    prepare: () => checkpoints.prepare(),
    read: async (after, limit) =>
      (await checkpoints.after(after === null ? -1 : Number(after), limit)).map((checkpoint) => ({
        position: String(checkpoint.treeSize),
        message: {
          key: origin,
          value: servedNote(checkpoint),
          headers: { type: 'LedgerCheckpoint', origin, treeSize: String(checkpoint.treeSize) },
        },
      })),
  };
}

import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace of change-ledger's name-based (v5) event ids. */
const NAMESPACE = '3d6f4b1e-6c1a-5b8e-9f2d-7a0c4e8b2d51';

/**
 * The same source occurrence always yields the same eventId, so a redelivered message or a
 * retried request appends nothing new: the store treats the re-append as a no-op.
 */
export function deterministicEventId(idempotencyKey: string, slot: string | number): string {
  return uuidv5(`${idempotencyKey}#${slot}`, NAMESPACE);
}

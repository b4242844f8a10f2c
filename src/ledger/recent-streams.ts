import { BoundedLru } from '../common/bounded-lru';
import type { RecordedEvent } from './ledger-event';

/**
 * The events of recently written streams, bounded. A command decided on a cached stream is
 * appended at the cached revision: if another writer got there first the append fails on
 * its revision, the entry is dropped and the command decided again on a fresh read. Events
 * never change, so a cached prefix is never wrong, only possibly short.
 */
export class RecentStreams extends BoundedLru<string, readonly RecordedEvent[]> {}

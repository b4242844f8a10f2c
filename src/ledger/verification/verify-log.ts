import { BoundedLru } from '../../common/bounded-lru';
import type { EventStore } from '../event-store';
import type { StreamHead } from '../hash-chain';
import type { RecordedEvent } from '../ledger-event';
import { checkLink, type BrokenLink } from './verify-stream';

/** The two reads the auditor's check needs; any EventStore adapter provides them. */
export type LogSource = Pick<EventStore, 'readAll' | 'readStream'>;

export interface VerifyLogOptions {
  /** Events per readAll round trip. */
  readonly pageSize?: number;
  /** How many streams' last hashes to keep; memory stays bounded whatever the log's size. */
  readonly streamCacheSize?: number;
  readonly signal?: AbortSignal;
}

export type LogVerdict =
  | {
      readonly intact: true;
      readonly events: number;
      readonly streams: number;
      readonly lastPosition: string | null;
    }
  | {
      readonly intact: false;
      readonly broken: BrokenLink;
      /** Events that verified before the break. */
      readonly events: number;
    };

/**
 * The auditor's check: reads the whole log in global order, page by page, and verifies every
 * event against its stream's previous one, stopping at the first broken link.
 *
 * Memory is constant: only the last hash of recently seen streams is kept; on a miss the
 * predecessor is read back from the store. Revision order within the global feed is therefore
 * checked only while a stream is still cached; deletion of a stream's newest events or of a
 * whole stream leaves no broken link and is the Merkle checkpoints' job.
 */
export async function verifyLog(
  source: LogSource,
  options: VerifyLogOptions = {},
): Promise<LogVerdict> {
  const pageSize = options.pageSize ?? 500;
  const heads = new BoundedLru<string, StreamHead>(options.streamCacheSize ?? 10_000);
  let after: string | null = null;
  let events = 0;
  let streams = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await source.readAll(after, pageSize);
    if (page.length === 0) return { intact: true, events, streams, lastPosition: after };
    for (const event of page) {
      const previous = heads.get(event.streamId) ?? (await predecessor(source, event));
      const broken = checkLink(previous, event);
      if (broken) return { intact: false, broken, events };
      heads.set(event.streamId, { revision: event.revision, hash: event.hash });
      events += 1;
      if (event.revision === 0) streams += 1;
      after = event.position;
    }
  }
}

/**
 * The stream's event just below this one. Reading backward finds the real last revision
 * when the immediate predecessor is missing, so a deletion is reported as the gap it is.
 */
async function predecessor(source: LogSource, event: RecordedEvent): Promise<StreamHead | null> {
  if (event.revision <= 0) return null;
  const [found] = await source.readStream(event.streamId, {
    direction: 'backward',
    fromRevision: event.revision - 1,
    limit: 1,
  });
  return found ? { revision: found.revision, hash: found.hash } : null;
}

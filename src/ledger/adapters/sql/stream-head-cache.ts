import { BoundedLru } from '../../../common/bounded-lru';
import type { ExpectedRevision } from '../../event-store';
import type { StreamHead } from '../../hash-chain';

/**
 * The last event seen per stream, bounded. Only an exact expected revision is answered from
 * it: if another writer has moved on since, the insert still fails on the unique revision.
 */
export class StreamHeadCache {
  private readonly heads: BoundedLru<string, StreamHead>;

  constructor(capacity: number) {
    this.heads = new BoundedLru(capacity);
  }

  at(streamId: string, expected: ExpectedRevision): StreamHead | null {
    const head = this.heads.peek(streamId);
    return typeof expected === 'number' && head?.revision === expected ? head : null;
  }

  remember(event: { streamId: string; revision: number; hash: string } | undefined): void {
    if (event === undefined) return;
    const known = this.heads.peek(event.streamId);
    if (known && known.revision > event.revision) return;
    this.heads.set(event.streamId, { revision: event.revision, hash: event.hash });
  }
}

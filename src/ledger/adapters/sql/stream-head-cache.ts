import type { ExpectedRevision } from '../../event-store';
import type { StreamHead } from '../../hash-chain';

/**
 * The last event seen per stream, bounded. Only an exact expected revision is answered from
 * it: if another writer has moved on since, the insert still fails on the unique revision.
 */
export class StreamHeadCache {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity: number) {}

  at(streamId: string, expected: ExpectedRevision): StreamHead | null {
    const head = this.heads.get(streamId);
    return typeof expected === 'number' && head?.revision === expected ? head : null;
  }

  remember(event: { streamId: string; revision: number; hash: string } | undefined): void {
    if (event === undefined) return;
    const known = this.heads.get(event.streamId);
    if (known && known.revision > event.revision) return;
    this.heads.delete(event.streamId);
    this.heads.set(event.streamId, { revision: event.revision, hash: event.hash });
    if (this.heads.size > this.capacity) {
      this.heads.delete(this.heads.keys().next().value as string);
    }
  }
}

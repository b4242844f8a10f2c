import type { EventStore } from '../event-store';
import { hashEnvelope } from '../hash-chain';
import type { RecordedEvent } from '../ledger-event';
import { parseCheckpointText } from '../checkpoints/checkpoint';
import type { NoteVerifier } from '../checkpoints/note-keys';
import { openNote } from '../checkpoints/note-signatures';
import type { CheckpointStore, StoredCheckpoint } from '../checkpointer/checkpoint-store';
import { CompactRange } from '../merkle/compact-range';
import { eventLeafHash } from '../merkle/ledger-leaf';
import { TileAppender, tileKey, tileWidth, TILE_WIDTH, type Tile } from '../merkle/tiles';
import type { LedgerTree, LeafRecord } from './ledger-tree';
import { readTiles } from './tree-tiles';
import type { SqlClient } from '../../sql/sql-client';

/** The event a leaf stands for, as the tree recorded it or as the feed holds it now. */
export interface LeafEventView {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly hash: string;
}

/**
 * The first leaf where the events no longer give the tree:
 * - `edited`: the same event, but its content (or stream, or revision) is not what the leaf
 *   recorded: rewritten, even with its chain hashes recomputed;
 * - `replaced`: another event stands at that place in the global order (one was deleted or
 *   slipped in before it);
 * - `missing`: the feed ends before the tree does (a truncated tail).
 */
export interface LeafDifference {
  readonly leafIndex: number;
  readonly reason: 'edited' | 'replaced' | 'missing';
  readonly expected: LeafEventView;
  readonly found: LeafEventView | null;
}

/** A signed checkpoint the stored events do not reproduce (or whose signature fails). */
export interface CheckpointProblem {
  readonly treeSize: number;
  readonly reason: 'signature' | 'root-mismatch' | 'beyond-log';
  readonly detail: string;
  /** The leaves the difference lies in: after the last checkpoint that held. */
  readonly leavesFrom: number;
}

export interface TreeVerdict {
  readonly intact: boolean;
  /** Leaves recomputed from the stored events. */
  readonly leaves: number;
  /** Leaves the stored tree holds. */
  readonly treeSize: number;
  /** Events in the feed the tree has not taken in yet. */
  readonly pending: number;
  /** Signed checkpoints whose signature and root were checked. */
  readonly checkpoints: number;
  readonly latestCheckpoint: number | null;
  readonly firstDifference?: LeafDifference;
  readonly checkpoint?: CheckpointProblem;
  /** A stored tile that is not what the leaves give: proofs from it would not verify. */
  readonly tile?: { readonly level: number; readonly index: number };
}

export interface TreeSources {
  readonly feed: Pick<EventStore, 'readAll'>;
  readonly tree: LedgerTree;
  readonly checkpoints: CheckpointStore;
  readonly sql: SqlClient;
  readonly verifiers: readonly NoteVerifier[];
  readonly pageSize?: number;
}

const view = (leaf: LeafRecord): LeafEventView => ({
  eventId: leaf.eventId,
  streamId: leaf.streamId,
  revision: leaf.revision,
  hash: leaf.eventHash,
});

function difference(
  leaf: LeafRecord,
  event: RecordedEvent,
  recomputed: string,
): LeafDifference | null {
  const found = {
    eventId: event.eventId,
    streamId: event.streamId,
    revision: event.revision,
    hash: recomputed,
  };
  if (leaf.eventId !== event.eventId) {
    return { leafIndex: leaf.leafIndex, reason: 'replaced', expected: view(leaf), found };
  }
  if (
    leaf.eventHash !== recomputed ||
    leaf.streamId !== event.streamId ||
    leaf.revision !== event.revision
  ) {
    return { leafIndex: leaf.leafIndex, reason: 'edited', expected: view(leaf), found };
  }
  return null;
}

/** Signed checkpoints in size order, a page at a time. */
class CheckpointCursor {
  private page: StoredCheckpoint[] = [];
  private after = -1;

  constructor(private readonly store: CheckpointStore) {}

  async peek(): Promise<StoredCheckpoint | undefined> {
    if (this.page.length === 0) {
      this.page = await this.store.after(this.after, 1000);
    }
    return this.page[0];
  }

  take(): void {
    const taken = this.page.shift();
    if (taken) this.after = taken.treeSize;
  }
}

/**
 * Recomputes the Merkle tree from the events the store holds now, in global order, and holds
 * it against what was recorded and signed: each leaf against the stored leaf (the first that
 * differs is reported, with the stream and revision expected and found), each stored tile
 * against the recomputed one, and the root at every signed checkpoint's size against the
 * root the checkpoint signs. Memory stays constant: a compact range and the right edge.
 */
export async function verifyTree(sources: TreeSources): Promise<TreeVerdict> {
  const { feed, tree, verifiers } = sources;
  const pageSize = sources.pageSize ?? 500;
  const treeSize = await tree.size();
  const range = new CompactRange();
  const appender = new TileAppender(0, []);
  const cursor = new CheckpointCursor(sources.checkpoints);
  let firstDifference: LeafDifference | undefined;
  let problem: CheckpointProblem | undefined;
  let tile: TreeVerdict['tile'];
  let checked = 0;
  let lastGood = 0;
  let latestCheckpoint: number | null = null;
  let pending = 0;

  /** Checks every checkpoint of the size reached; false once one fails (nothing later can hold). */
  const checkpointsAt = async (size: number): Promise<boolean> => {
    for (
      let next = await cursor.peek();
      next && next.treeSize === size;
      next = await cursor.peek()
    ) {
      latestCheckpoint = next.treeSize;
      problem = checkpointProblem(next, range.root(), verifiers, lastGood);
      if (problem) return false;
      checked += 1;
      lastGood = size;
      cursor.take();
    }
    return true;
  };

  const compareTiles = async (recomputed: readonly Tile[]): Promise<void> => {
    if (tile || recomputed.length === 0) return;
    const stored = new Map((await readTiles(sources.sql, recomputed)).map((t) => [tileKey(t), t]));
    // A stored partial tile may be wider than the leaves recomputed so far: compare the prefix.
    const wrong = recomputed.find(
      (t) => !stored.get(tileKey(t))?.hashes.subarray(0, t.hashes.length).equals(t.hashes),
    );
    if (wrong) tile = { level: wrong.level, index: wrong.index };
  };

  let going = await checkpointsAt(0);
  for (let after: string | null = null; going;) {
    const events = await feed.readAll(after, pageSize);
    if (events.length === 0) break;
    after = events[events.length - 1].position;
    const first = range.size;
    const stored =
      first < treeSize ? await tree.leaves(first, Math.min(events.length, treeSize - first)) : [];
    const leaves: Buffer[] = [];
    for (const event of events) {
      if (range.size >= treeSize) {
        pending += 1;
        continue;
      }
      const recomputed = hashEnvelope(event);
      const leaf = stored[range.size - first];
      if (!firstDifference && leaf)
        firstDifference = difference(leaf, event, recomputed) ?? undefined;
      const leafHash = eventLeafHash({
        streamId: event.streamId,
        revision: event.revision,
        hash: recomputed,
      });
      range.append(leafHash);
      leaves.push(leafHash);
      going = await checkpointsAt(range.size);
      if (!going) break;
    }
    await compareTiles(appender.append(leaves).filter((t) => tileWidth(t) === TILE_WIDTH));
  }
  if (going) {
    if (range.size < treeSize) {
      const [missing] = await tree.leaves(range.size, 1);
      if (missing) {
        firstDifference ??= {
          leafIndex: missing.leafIndex,
          reason: 'missing',
          expected: view(missing),
          found: null,
        };
      }
    }
    const beyond = await cursor.peek();
    if (beyond) {
      latestCheckpoint = beyond.treeSize;
      problem = {
        treeSize: beyond.treeSize,
        reason: 'beyond-log',
        detail: `a checkpoint of ${beyond.treeSize} leaves was signed, the stored events give ${range.size}`,
        leavesFrom: lastGood,
      };
    }
    if (range.size === treeSize) await compareTiles(appender.partial());
  }
  const latest = latestCheckpoint ?? (await sources.checkpoints.latest())?.treeSize ?? null;
  return {
    intact: !firstDifference && !problem && !tile,
    leaves: range.size,
    treeSize,
    pending,
    checkpoints: checked,
    latestCheckpoint: latest,
    ...(firstDifference && { firstDifference }),
    ...(problem && { checkpoint: problem }),
    ...(tile && { tile }),
  };
}

function checkpointProblem(
  checkpoint: StoredCheckpoint,
  recomputedRoot: Buffer,
  verifiers: readonly NoteVerifier[],
  leavesFrom: number,
): CheckpointProblem | undefined {
  const at = { treeSize: checkpoint.treeSize, leavesFrom };
  let signed;
  try {
    signed = parseCheckpointText(openNote(checkpoint.note, verifiers).text);
  } catch (error) {
    return { ...at, reason: 'signature', detail: (error as Error).message };
  }
  if (signed.size !== checkpoint.treeSize) {
    return { ...at, reason: 'signature', detail: `the note signs a tree of ${signed.size} leaves` };
  }
  if (!signed.rootHash.equals(recomputedRoot)) {
    return {
      ...at,
      reason: 'root-mismatch',
      detail: `signed root ${signed.rootHash.toString('base64')}, the stored events give ${recomputedRoot.toString('base64')}`,
    };
  }
  return undefined;
}

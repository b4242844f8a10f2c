import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { InvalidRequest } from '../../http/problem';
import { verifierKey } from '../checkpoints/note-keys';
import {
  CheckpointStore,
  servedNote,
  type StoredCheckpoint,
} from '../checkpointer/checkpoint-store';
import { keyLabel, type LedgerKeys } from '../checkpointer/ledger-keys';
import { LEDGER_KEYS } from '../checkpointer/transparency-log';
import { EVENT_STORE, type EventStore } from '../event-store';
import { eventLeafHash } from '../merkle/ledger-leaf';
import { LedgerTree } from '../tree/ledger-tree';
import { NotInLog } from '../transparency-errors';
import type { ConsistencyProofDto, InclusionProofDto, LedgerKeysDto } from './transparency.dto';

const base64 = (hash: Buffer) => hash.toString('base64');

/** Entries are read from the feed this many at a time. */
const ENTRY_PAGE = 500;

/** What the log's API answers: checkpoints, proofs, keys, entries. */
@Injectable()
export class TransparencyQueries {
  constructor(
    private readonly tree: LedgerTree,
    private readonly checkpoints: CheckpointStore,
    @Inject(LEDGER_KEYS) private readonly keys: LedgerKeys,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async latestCheckpoint(): Promise<StoredCheckpoint> {
    const latest = await this.checkpoints.latest();
    if (!latest) throw new NotInLog('no-checkpoint', 'no checkpoint has been signed yet');
    return latest;
  }

  async checkpoint(size: number): Promise<string> {
    const checkpoint = await this.checkpoints.atSize(size);
    if (!checkpoint) {
      throw new NotInLog('checkpoint-not-found', `no checkpoint was signed at tree size ${size}`);
    }
    return servedNote(checkpoint);
  }

  /** Two round trips: the checkpoint of the size, then the leaf with its tiles. */
  async inclusionProof(eventId: string, treeSize?: number): Promise<InclusionProofDto> {
    const { size, checkpoint } = await this.treeOf(treeSize);
    const found = await this.tree.inclusionProofOf(eventId.toLowerCase(), size);
    if (!found) {
      throw new NotInLog('event-not-in-tree', `event ${eventId} is not in the tree (yet)`);
    }
    const { leaf, hashes } = found;
    if (hashes === null) {
      throw new InvalidRequest([
        {
          field: 'treeSize',
          reason: `event ${eventId} is leaf ${leaf.leafIndex}: a tree of ${size} leaves does not hold it`,
        },
      ]);
    }
    return {
      eventId: leaf.eventId,
      leafIndex: leaf.leafIndex,
      treeSize: size,
      leafHash: base64(
        eventLeafHash({ streamId: leaf.streamId, revision: leaf.revision, hash: leaf.eventHash }),
      ),
      hashes: hashes.map(base64),
      checkpoint,
    };
  }

  async consistencyProof(from: number, to?: number): Promise<ConsistencyProofDto> {
    const { size, checkpoint } = await this.treeOf(to);
    if (from > size) {
      throw new InvalidRequest([
        { field: 'from', reason: `from (${from}) is larger than to (${size})` },
      ]);
    }
    const hashes = await this.tree.consistencyProof(from, size);
    return { from, to: size, hashes: hashes.map(base64), checkpoint };
  }

  keysView(): LedgerKeysDto {
    const signing = this.keys.signer.verifier;
    return {
      origin: this.config.transparency.origin,
      keys: this.keys.verifiers.map((key) => ({
        keyId: keyLabel(key),
        verifierKey: verifierKey(key),
        signing: key === signing,
      })),
      witnesses: this.config.transparency.witnesses.map(({ key, url }) => ({
        keyId: keyLabel(key),
        verifierKey: verifierKey(key),
        url,
      })),
    };
  }

  /** Checks the range first, so that a bad request gets its 400 or 404 before the stream starts. */
  async entries(start: number, end?: number): Promise<AsyncGenerator<string>> {
    const size = await this.tree.size();
    const stop = end ?? size;
    if (stop > size) {
      throw new NotInLog('tree-size-not-reached', `the tree has ${size} leaves, not ${stop}`);
    }
    if (start > stop) {
      throw new InvalidRequest([
        { field: 'start', reason: `start (${start}) is after end (${stop})` },
      ]);
    }
    const [before] = start > 0 ? await this.tree.leaves(start - 1, 1) : [];
    return this.feedFrom(before?.position ?? null, start, stop);
  }

  /** The events the store holds now, in feed order from a leaf on: what auditors recompute. */
  private async *feedFrom(
    after: string | null,
    start: number,
    stop: number,
  ): AsyncGenerator<string> {
    let index = start;
    let position = after;
    while (index < stop) {
      const page = await this.store.readAll(position, Math.min(ENTRY_PAGE, stop - index));
      if (page.length === 0) return;
      for (const event of page) yield `${JSON.stringify({ leafIndex: index++, event })}\n`;
      position = page[page.length - 1].position;
    }
  }

  /**
   * The tree a proof is asked in, and its signed checkpoint if any: the latest checkpoint's
   * when no size is given; otherwise a size the tree has reached (checked only when no
   * checkpoint was signed at it).
   */
  private async treeOf(size?: number): Promise<{ size: number; checkpoint: string | null }> {
    const signed =
      size === undefined ? await this.latestCheckpoint() : await this.checkpoints.atSize(size);
    if (signed) return { size: signed.treeSize, checkpoint: servedNote(signed) };
    const current = await this.tree.size();
    if (size === undefined || size > current) {
      throw new NotInLog('tree-size-not-reached', `the tree has ${current} leaves, not ${size}`);
    }
    return { size, checkpoint: null };
  }
}

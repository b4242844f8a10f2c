import { DEFAULT_BACKOFF, type Backoff } from '../../common/backoff';
import { FollowerLoop } from '../follower-loop';
import type { SqlClient } from '../../sql/sql-client';
import { checkpointText, parseCheckpointText } from '../checkpoints/checkpoint';
import { openNote, UntrustedNote } from '../checkpoints/note-signatures';
import { formatNote } from '../checkpoints/signed-note';
import { verifyConsistency } from '../merkle/verify-proofs';
import type { LedgerTree } from '../tree/ledger-tree';
import type { CheckpointStore, StoredCheckpoint } from './checkpoint-store';
import { keyLabel, type LedgerKeys } from './ledger-keys';
import type { WitnessClient } from './witness-client';

export interface CheckpointPolicy {
  readonly origin: string;
  readonly everyEvents: number;
  readonly everySeconds: number;
}

export interface CheckpointerEvents {
  signed(checkpoint: StoredCheckpoint): void;
  cosigned(witness: string, treeSize: number): void;
  witnessFailed(witness: string, error: unknown): void;
  failed(error: unknown): void;
}

/** The stored tree no longer extends the last signed checkpoint: never signed over. */
export class InconsistentTree extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InconsistentTree';
  }
}

/** A witness refused a checkpoint, or is ahead of the log: both need a person to look. */
export class WitnessRefusal extends Error {
  constructor(witness: string, message: string) {
    super(`witness ${witness}: ${message}`);
    this.name = 'WitnessRefusal';
  }
}

const LOCK = 'change-ledger:checkpointer';

/**
 * Signs the tree head (C2SP tlog-checkpoint, Ed25519 signed note) every N new leaves or T
 * seconds, then asks each witness to cosign it. One instance signs at a time (an advisory
 * lock), and only a tree that extends the last signed checkpoint: before signing, the stored
 * tree must still give the last checkpoint's root and a consistency proof to the new root
 * must verify. A log must never sign two checkpoints that are inconsistent.
 */
export class Checkpointer {
  private readonly loop: FollowerLoop;

  constructor(
    private readonly sql: SqlClient,
    private readonly tree: LedgerTree,
    private readonly checkpoints: CheckpointStore,
    private readonly keys: LedgerKeys,
    private readonly policy: CheckpointPolicy,
    private readonly witnesses: readonly WitnessClient[],
    private readonly events: CheckpointerEvents,
    pollMs = 200,
    backoff: Backoff = DEFAULT_BACKOFF,
  ) {
    // Through an outage it retries with back-off; the next signing re-checks everything.
    this.loop = new FollowerLoop(
      async () => {
        await this.checkpointIfDue();
        return pollMs;
      },
      { backoff, onFailure: (error) => events.failed(error), onRecovery: () => undefined },
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Signs a checkpoint when one is due, then gathers cosignatures; null when none was due. */
  async checkpointIfDue(): Promise<StoredCheckpoint | null> {
    const signed = await this.sql.transaction((tx) => this.signIfDue(tx));
    if (signed === null) return null;
    this.events.signed(signed);
    await this.cosign(signed);
    return (await this.checkpoints.atSize(signed.treeSize)) ?? signed;
  }

  private async signIfDue(tx: SqlClient): Promise<StoredCheckpoint | null> {
    const [{ locked }] = await tx.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
      [LOCK],
    );
    if (!locked) return null;
    const latest = await this.checkpoints.latest(tx);
    const size = await this.tree.size(tx);
    if (latest !== null && !(await this.due(tx, latest, size))) return null;
    const root = await this.tree.root(size, tx);
    if (latest !== null) await this.checkExtends(tx, latest, size, root);
    const text = checkpointText({ origin: this.policy.origin, size, rootHash: root });
    const note = formatNote(text, [this.keys.signer.sign(text)]);
    return this.checkpoints.insert(tx, {
      treeSize: size,
      rootHash: root,
      note,
      keyId: keyLabel(this.keys.signer.verifier),
    });
  }

  private async due(tx: SqlClient, latest: StoredCheckpoint, size: number): Promise<boolean> {
    if (size < latest.treeSize) {
      throw new InconsistentTree(
        `the tree has ${size} leaves, fewer than the ${latest.treeSize} of the last checkpoint`,
      );
    }
    if (size === latest.treeSize) return false;
    if (size - latest.treeSize >= this.policy.everyEvents) return true;
    return (await this.checkpoints.secondsSince(latest, tx)) >= this.policy.everySeconds;
  }

  /** The last checkpoint is ours, the stored tree still gives its root, and the new root extends it. */
  private async checkExtends(
    tx: SqlClient,
    latest: StoredCheckpoint,
    size: number,
    root: Buffer,
  ): Promise<void> {
    let signed;
    try {
      signed = parseCheckpointText(openNote(latest.note, this.keys.verifiers).text);
    } catch (error) {
      if (!(error instanceof UntrustedNote)) throw error;
      throw new InconsistentTree(
        `checkpoint ${latest.treeSize} is signed by no key this instance knows (${error.message}): ` +
          'after a key rotation, list the previous key in LEDGER_VERIFICATION_KEYS_FILE',
      );
    }
    if (!signed.rootHash.equals(latest.rootHash) || signed.size !== latest.treeSize) {
      throw new InconsistentTree(`checkpoint ${latest.treeSize} is not the one its note signs`);
    }
    const then = await this.tree.root(latest.treeSize, tx);
    if (!then.equals(latest.rootHash)) {
      throw new InconsistentTree(
        `the stored tree no longer gives the root of checkpoint ${latest.treeSize}: refusing to sign`,
      );
    }
    if (latest.treeSize > 0) {
      const proof = await this.tree.consistencyProof(latest.treeSize, size, tx);
      verifyConsistency(latest.treeSize, size, proof, latest.rootHash, root);
    }
  }

  /** Asks every witness to cosign, each on its own; a witness that fails is only reported. */
  private async cosign(checkpoint: StoredCheckpoint): Promise<void> {
    await Promise.all(
      this.witnesses.map((witness) =>
        this.submit(witness, checkpoint).catch((error: unknown) =>
          this.events.witnessFailed(witness.id, error),
        ),
      ),
    );
  }

  private async submit(witness: WitnessClient, checkpoint: StoredCheckpoint): Promise<void> {
    const size = checkpoint.treeSize;
    let old = await this.checkpoints.witnessSize(witness.id);
    // A 409 names the size the witness really has: one more try from there.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (old > size) {
        throw new WitnessRefusal(
          witness.id,
          `it has cosigned a tree of ${old} leaves, larger than this checkpoint's ${size}: has the log been rolled back?`,
        );
      }
      const proof = old > 0 && old < size ? await this.tree.consistencyProof(old, size) : [];
      const answer = await witness.addCheckpoint({
        oldSize: old,
        proof,
        checkpoint: checkpoint.note,
      });
      if ('line' in answer) {
        await this.checkpoints.addCosignature(size, witness.id, answer.line, answer.timestamp);
        this.events.cosigned(witness.id, size);
        return;
      }
      if (!('size' in answer)) {
        throw new WitnessRefusal(
          witness.id,
          `answered ${answer.status} to checkpoint ${size}: ${answer.reason}`,
        );
      }
      old = answer.size;
      await this.checkpoints.recordWitnessSize(this.sql, witness.id, old);
    }
    throw new WitnessRefusal(witness.id, `keeps answering 409 to checkpoint ${size}`);
  }
}

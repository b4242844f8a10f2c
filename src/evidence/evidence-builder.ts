import { Inject, Injectable } from '@nestjs/common';
import { changeStreamId } from '../changes/domain/change-stream';
import { DomainError } from '../kernel/domain-error';
import {
  ComplianceQueries,
  type ComplianceFilter,
} from '../compliance/read-model/compliance-queries';
import type { ComplianceChangeView } from '../compliance/domain/compliance-view';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { hexKeyId } from '../ledger/checkpoints/note-keys';
import { parseNote } from '../ledger/checkpoints/signed-note';
import {
  CheckpointStore,
  servedNote,
  type StoredCheckpoint,
} from '../ledger/checkpointer/checkpoint-store';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';
import { NotInLog } from '../ledger/transparency-errors';
import { LedgerTree } from '../ledger/tree/ledger-tree';
import {
  EVIDENCE_FORMAT,
  type ChangeEvidence,
  type EvidenceBundle,
  type EventEvidence,
} from './evidence-bundle';

type BundleHead = Omit<EvidenceBundle, 'changes'>;

/**
 * Evidence bundles: a change's events with their inclusion proofs to the latest signed
 * checkpoint, that checkpoint and who signed it, and the change's compliance record.
 */
@Injectable()
export class EvidenceBuilder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tree: LedgerTree,
    private readonly checkpoints: CheckpointStore,
    private readonly compliance: ComplianceQueries,
  ) {}

  async change(changeId: string, asOf: string): Promise<EvidenceBundle> {
    const head = await this.head();
    const record = await this.compliance.change(changeId, asOf).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'change-not-found') return null;
      throw error;
    });
    const evidence = await this.changeEvidence(changeId, record, head.checkpoint.treeSize);
    if (evidence.events.length === 0) {
      throw new DomainError('change-not-found', `change ${changeId} does not exist`);
    }
    return { ...head, changes: [evidence] };
  }

  /**
   * The bundle of every change requested in the period, as a JSON text in pieces: one change
   * at a time is read, proven and written, so it can be streamed.
   */
  async period(filter: ComplianceFilter): Promise<AsyncGenerator<string>> {
    const head: BundleHead = { ...(await this.head()), period: filter };
    return this.periodPieces(head, await this.compliance.changes(filter, null));
  }

  private async *periodPieces(
    head: BundleHead,
    changes: readonly ComplianceChangeView[],
  ): AsyncGenerator<string> {
    yield `${JSON.stringify(head).slice(0, -1)},"changes":[`;
    for (const [i, view] of changes.entries()) {
      const evidence = await this.changeEvidence(view.changeId, view, head.checkpoint.treeSize);
      yield `${i === 0 ? '' : ','}${JSON.stringify(evidence)}`;
    }
    yield ']}\n';
  }

  private async head(): Promise<BundleHead> {
    const latest = await this.checkpoints.latest();
    if (!latest) throw new NotInLog('no-checkpoint', 'no checkpoint has been signed yet');
    return {
      format: EVIDENCE_FORMAT,
      generatedAt: new Date().toISOString(),
      origin: this.config.transparency.origin,
      checkpoint: { treeSize: latest.treeSize, note: servedNote(latest) },
      keyIds: signers(latest),
    };
  }

  private async changeEvidence(
    changeId: string,
    compliance: unknown,
    treeSize: number,
  ): Promise<ChangeEvidence> {
    const events = await this.store.readStream(changeStreamId(changeId));
    const leaves = await this.tree.leavesOf(events.map((e) => e.eventId));
    const covered = events
      .map((event) => leaves.get(event.eventId)?.leafIndex)
      .filter((index): index is number => index !== undefined && index < treeSize);
    const proofs = await this.tree.inclusionProofs(covered, treeSize);
    const proofOf = new Map(covered.map((index, i) => [index, proofs[i]]));
    const evidence: EventEvidence[] = events.map((event) => {
      const leafIndex = leaves.get(event.eventId)?.leafIndex;
      const proof = leafIndex === undefined ? undefined : proofOf.get(leafIndex);
      return proof
        ? {
            event,
            leafIndex: leafIndex as number,
            inclusionProof: proof.map((h) => h.toString('base64')),
          }
        : { event, leafIndex: null, inclusionProof: null };
    });
    return { changeId, compliance, events: evidence };
  }
}

/** Every key that signed the checkpoint, as name+hexid, in the note's order. */
function signers(checkpoint: StoredCheckpoint): string[] {
  return parseNote(servedNote(checkpoint)).signatures.map((s) => `${s.name}+${hexKeyId(s.keyId)}`);
}

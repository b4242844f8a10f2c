import type { EvidenceBundle } from '../evidence/evidence-bundle';
import { decodeBase64 } from '../ledger/checkpoints/note-keys';
import { hashEnvelope, type StreamHead } from '../ledger/hash-chain';
import type { RecordedEvent } from '../ledger/ledger-event';
import { eventLeafHash } from '../ledger/merkle/ledger-leaf';
import { InvalidProof, verifyInclusion } from '../ledger/merkle/verify-proofs';
import { checkLink, type BrokenLink } from '../ledger/verification/verify-stream';
import { trustCheckpoint, type TrustedKeys } from './trusted-checkpoint';
import { UsageError, VerificationFailed } from './verification-failed';

const FORMAT: EvidenceBundle['format'] = 'change-ledger-evidence/v1';

const WHY: Record<BrokenLink['reason'], string> = {
  'hash-mismatch': 'its content does not hash to its recorded hash (edited)',
  'broken-link': 'its prevHash is not the hash of the event before it',
  'revision-gap': 'an earlier revision is missing',
  'revision-out-of-order': 'its revision repeats or goes backwards',
  'wrong-stream': 'it belongs to another stream',
};

function parseBundle(text: string): EvidenceBundle {
  let bundle: EvidenceBundle;
  try {
    bundle = JSON.parse(text) as EvidenceBundle;
  } catch (error) {
    throw new UsageError(`the bundle is not JSON: ${(error as Error).message}`);
  }
  if (bundle?.format !== FORMAT || !Array.isArray(bundle.changes) || !bundle.checkpoint) {
    throw new UsageError(`not a ${FORMAT} evidence bundle`);
  }
  return bundle;
}

function proofHashes(proof: readonly unknown[]): Buffer[] {
  return proof.map((hash) => {
    const bytes = typeof hash === 'string' ? decodeBase64(hash) : null;
    if (!bytes) throw new InvalidProof(`${JSON.stringify(hash)} is not a base64 hash`);
    return bytes;
  });
}

/**
 * Checks an evidence bundle offline: the checkpoint is signed by a trusted log key (and
 * cosigned by every witness key given), every event hashes to its recorded hash and links to
 * the one before it from revision 0, and every event's leaf is in the checkpoint's tree.
 * Returns what was verified, one line each; throws VerificationFailed with the first reason.
 */
export function verifyEvidence(text: string, keys: TrustedKeys): string[] {
  const bundle = parseBundle(text);
  const checkpoint = trustCheckpoint(bundle.checkpoint.note, keys, 'the checkpoint');
  if (checkpoint.size !== bundle.checkpoint.treeSize || checkpoint.origin !== bundle.origin) {
    throw new VerificationFailed('the bundle does not describe the checkpoint it carries');
  }
  const report = [
    `checkpoint: ${checkpoint.origin}, ${checkpoint.size} leaves, signed by ${checkpoint.signedBy.join(', ')}`,
  ];
  const leaves = new Set<number>();
  let pending = 0;
  let events = 0;
  for (const change of bundle.changes) {
    const streamId = `change-${change.changeId}`;
    const where = (event: RecordedEvent) => `change ${change.changeId} revision ${event.revision}`;
    if (change.events.length === 0) {
      throw new VerificationFailed(`the bundle holds no event of change ${change.changeId}`);
    }
    let head: StreamHead | null = null;
    for (const { event, leafIndex, inclusionProof } of change.events) {
      const broken =
        checkLink(head, event) ?? (event.streamId === streamId ? null : 'wrong-stream');
      if (broken) {
        const reason = typeof broken === 'string' ? broken : broken.reason;
        throw new VerificationFailed(`${where(event)} (event ${event.eventId}): ${WHY[reason]}`);
      }
      head = { revision: event.revision, hash: event.hash };
      if (inclusionProof === null || leafIndex === null) {
        pending += 1;
        continue;
      }
      if (leaves.has(leafIndex)) {
        throw new VerificationFailed(`${where(event)}: leaf ${leafIndex} is claimed twice`);
      }
      leaves.add(leafIndex);
      const leaf = eventLeafHash({ streamId, revision: event.revision, hash: hashEnvelope(event) });
      try {
        verifyInclusion(
          leafIndex,
          checkpoint.size,
          leaf,
          proofHashes(inclusionProof),
          checkpoint.rootHash,
        );
      } catch (error) {
        if (!(error instanceof InvalidProof)) throw error;
        throw new VerificationFailed(
          `${where(event)} (event ${event.eventId}): not proven in the checkpoint's tree: ${error.message}`,
        );
      }
      events += 1;
    }
    const record = change.compliance as { changeId?: unknown } | null;
    if (record !== null && record?.changeId !== change.changeId) {
      throw new VerificationFailed(
        `the compliance record given for change ${change.changeId} is another change's`,
      );
    }
    report.push(
      `change ${change.changeId}: ${change.events.length} events, revisions 0–${change.events.length - 1}, chained`,
    );
  }
  if (pending > 0) {
    throw new VerificationFailed(
      `${pending} event(s) are not yet covered by the bundle's checkpoint (${checkpoint.size} leaves): fetch the bundle again after the next checkpoint`,
    );
  }
  report.push(
    `verified: ${bundle.changes.length} change(s), ${events} event(s), each included in the signed tree`,
  );
  return report;
}

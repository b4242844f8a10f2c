import { hashEnvelope, type StreamHead } from '../ledger/hash-chain';
import { eventLeafHash } from '../ledger/merkle/ledger-leaf';
import { MemoryTree } from '../ledger/merkle/memory-tree';
import { EMPTY_ROOT } from '../ledger/merkle/tree-hash';
import { InvalidProof, verifyConsistency } from '../ledger/merkle/verify-proofs';
import { checkLink } from '../ledger/verification/verify-stream';
import type { LogService } from './log-service';
import { trustCheckpoint, type TrustedCheckpoint, type TrustedKeys } from './trusted-checkpoint';
import { VerificationFailed } from './verification-failed';

export interface VerifyLogResult {
  readonly report: string[];
  /** The service's current checkpoint, verified: worth saving for next time. */
  readonly current: string;
}

/**
 * The auditor's check that nothing was rewritten since they saved a checkpoint: the service's
 * current checkpoint is signed by a trusted key and its tree extends the saved one (RFC 9162
 * consistency proof). With `full`, every event is downloaded and the tree recomputed from
 * them: the events the saved checkpoint covers must give its root, leaf for leaf.
 */
export async function verifyLog(
  savedNote: string,
  service: LogService,
  keys: TrustedKeys,
  full: boolean,
): Promise<VerifyLogResult> {
  // Witnesses may have been added since: the saved checkpoint needs the log's signature only.
  const saved = trustCheckpoint(
    savedNote,
    { log: keys.log, witnesses: [] },
    'the saved checkpoint',
  );
  const currentNote = await service.checkpoint();
  const current = trustCheckpoint(currentNote, keys, "the service's checkpoint");
  const report = [
    `saved checkpoint: ${saved.origin}, ${saved.size} leaves`,
    `current checkpoint: ${current.size} leaves, signed by ${current.signedBy.join(', ')}`,
  ];
  if (current.origin !== saved.origin) {
    throw new VerificationFailed(
      `the service's log is ${current.origin}, the saved checkpoint's ${saved.origin}`,
    );
  }
  if (current.size < saved.size) {
    throw new VerificationFailed(
      `the service's tree has ${current.size} leaves, fewer than the ${saved.size} of the saved checkpoint: the log was truncated or rolled back`,
    );
  }
  await checkConsistent(saved, current, service);
  report.push(
    `consistent: the current tree extends the saved one (${saved.size} → ${current.size})`,
  );
  if (full) report.push(...(await recompute(saved, current, service)));
  return { report, current: currentNote };
}

async function checkConsistent(
  saved: TrustedCheckpoint,
  current: TrustedCheckpoint,
  service: LogService,
): Promise<void> {
  try {
    // The empty tree is a prefix of every tree: there is nothing to prove.
    if (saved.size === 0) {
      if (!saved.rootHash.equals(EMPTY_ROOT)) throw new InvalidProof('an empty tree with a root');
      return;
    }
    const proof =
      saved.size === current.size ? [] : await service.consistencyProof(saved.size, current.size);
    verifyConsistency(saved.size, current.size, proof, saved.rootHash, current.rootHash);
  } catch (error) {
    if (!(error instanceof InvalidProof)) throw error;
    throw new VerificationFailed(
      `the service's tree does not extend the checkpoint you saved (the log was rewritten): ${error.message}`,
    );
  }
}

/** Rebuilds the tree from every event the service serves, checking each hash chain on the way. */
async function recompute(
  saved: TrustedCheckpoint,
  current: TrustedCheckpoint,
  service: LogService,
): Promise<string[]> {
  const tree = new MemoryTree();
  const heads = new Map<string, StreamHead>();
  for await (const { leafIndex, event } of service.entries(0, current.size)) {
    if (leafIndex !== tree.size) {
      throw new VerificationFailed(
        `the service sent leaf ${leafIndex} where leaf ${tree.size} was due`,
      );
    }
    const broken = checkLink(heads.get(event.streamId) ?? null, event);
    if (broken) {
      throw new VerificationFailed(
        `leaf ${leafIndex} (${event.streamId} revision ${event.revision}): its hash chain is broken (${broken.reason})`,
      );
    }
    heads.set(event.streamId, { revision: event.revision, hash: event.hash });
    tree.append(
      eventLeafHash({
        streamId: event.streamId,
        revision: event.revision,
        hash: hashEnvelope(event),
      }),
    );
  }
  if (tree.size < current.size) {
    throw new VerificationFailed(
      `the service served ${tree.size} events, its checkpoint holds ${current.size}: events are missing`,
    );
  }
  if (!tree.root(saved.size).equals(saved.rootHash)) {
    const leaf = await firstUnproven(tree, saved, service);
    const [entry] = await first(service.entries(leaf, leaf + 1));
    const at = entry ? ` (${entry.event.streamId} revision ${entry.event.revision})` : '';
    throw new VerificationFailed(
      `the events the service holds no longer give the checkpoint you saved: leaf ${leaf}${at} is the first that differs from what it signed`,
    );
  }
  if (!tree.root(current.size).equals(current.rootHash)) {
    throw new VerificationFailed(
      "the events the service holds do not give its own current checkpoint's root",
    );
  }
  return [
    `recomputed: ${tree.size} events, every chain intact, both roots reproduced from the events`,
  ];
}

/**
 * The first leaf whose event no longer matches the saved checkpoint: the largest prefix the
 * service can still prove (a consistency proof from the recomputed prefix root to the saved
 * root) ends there. Binary search, one proof a step; a prefix the service cannot prove counts
 * as changed, so the leaf found is never later than the true first change.
 */
async function firstUnproven(
  tree: MemoryTree,
  saved: TrustedCheckpoint,
  service: LogService,
): Promise<number> {
  const proven = async (k: number): Promise<boolean> => {
    try {
      verifyConsistency(
        k,
        saved.size,
        await service.consistencyProof(k, saved.size),
        tree.root(k),
        saved.rootHash,
      );
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = saved.size;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await proven(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

async function first<T>(items: AsyncGenerator<T>): Promise<T[]> {
  for await (const item of items) return [item];
  return [];
}

import { HASH_SIZE } from '../merkle/tree-hash';
import { decodeBase64 } from './note-keys';
import { MalformedNote } from './signed-note';

/**
 * C2SP tlog-checkpoint: the note text of a tree head. The origin line names the log, then the
 * tree size in decimal and the base64 root hash; this ledger writes no extension lines.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

export function checkpointText({ origin, size, rootHash }: Checkpoint): string {
  return `${origin}\n${size}\n${rootHash.toString('base64')}\n`;
}

/** Reads origin, size and root from a checkpoint's note text (extension lines ignored). */
export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines.at(-1) !== '') {
    throw new MalformedNote('a checkpoint has an origin, a size and a root hash line');
  }
  const [origin, size, root] = lines;
  if (origin.length === 0) throw new MalformedNote('the checkpoint origin line is empty');
  const rootHash = decodeBase64(root);
  if (!DECIMAL.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new MalformedNote(`the checkpoint size ${JSON.stringify(size)} is not a tree size`);
  }
  if (!rootHash || rootHash.length !== HASH_SIZE) {
    throw new MalformedNote(`the checkpoint root ${JSON.stringify(root)} is not a base64 SHA-256`);
  }
  if (lines.slice(3, -1).some((line) => line.length === 0)) {
    throw new MalformedNote('a checkpoint extension line is never empty');
  }
  return { origin, size: Number(size), rootHash };
}

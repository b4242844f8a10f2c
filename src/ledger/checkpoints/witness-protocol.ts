import { MalformedNote } from './signed-note';
import { decodeBase64 } from './note-keys';

/**
 * The body of a C2SP tlog-witness add-checkpoint request: "old <size>", one base64
 * consistency proof hash a line, a blank line, then the signed checkpoint.
 */
export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Buffer[];
  /** The checkpoint as a signed note. */
  readonly checkpoint: string;
}

/** The specification's limit on proof lines. */
export const MAX_PROOF_LINES = 63;

/** Content type of a 409 answer: the witness's latest size. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export function formatAddCheckpoint({ oldSize, proof, checkpoint }: AddCheckpointRequest): string {
  const lines = proof.map((hash) => `${hash.toString('base64')}\n`).join('');
  return `old ${oldSize}\n${lines}\n${checkpoint}`;
}

export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const blank = body.indexOf('\n\n');
  if (blank < 0)
    throw new MalformedNote('an add-checkpoint body has a blank line before the checkpoint');
  const [old, ...proofLines] = body.slice(0, blank).split('\n');
  const size = /^old (0|[1-9][0-9]*)$/.exec(old);
  if (!size || !Number.isSafeInteger(Number(size[1]))) {
    throw new MalformedNote(`the first line is "old <size>", not ${JSON.stringify(old)}`);
  }
  if (proofLines.length > MAX_PROOF_LINES) {
    throw new MalformedNote(`more than ${MAX_PROOF_LINES} consistency proof lines`);
  }
  const proof = proofLines.map((line) => {
    const hash = decodeBase64(line);
    if (!hash)
      throw new MalformedNote(`a proof line is one base64 hash, not ${JSON.stringify(line)}`);
    return hash;
  });
  return { oldSize: Number(size[1]), proof, checkpoint: body.slice(blank + 2) };
}

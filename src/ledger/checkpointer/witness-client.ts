import { openNote, UntrustedNote } from '../checkpoints/note-signatures';
import { formatNote, MalformedNote, parseNote } from '../checkpoints/signed-note';
import { formatAddCheckpoint, type AddCheckpointRequest } from '../checkpoints/witness-protocol';
import { keyLabel } from './ledger-keys';
import type { WitnessConfig } from './transparency-config';

/** What a witness answered to add-checkpoint (C2SP tlog-witness). */
export type WitnessAnswer =
  | { readonly status: 200; readonly line: string; readonly timestamp: number }
  /** The old size was not the size it last cosigned: this is that size. */
  | { readonly status: 409; readonly size: number }
  | { readonly status: number; readonly reason: string };

/** A witness's answer that cannot be used: unreadable, or a cosignature that does not verify. */
export class WitnessAnswerRefused extends Error {
  constructor(witness: string, reason: string) {
    super(`witness ${witness}: ${reason}`);
    this.name = 'WitnessAnswerRefused';
  }
}

/** Talks to one witness over HTTP, and checks what it signs with the key it is configured with. */
export class WitnessClient {
  readonly id: string;

  constructor(
    readonly witness: WitnessConfig,
    private readonly timeoutMs = 10_000,
  ) {
    this.id = keyLabel(witness.key);
  }

  async addCheckpoint(request: AddCheckpointRequest): Promise<WitnessAnswer> {
    const response = await fetch(`${this.witness.url}/add-checkpoint`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: formatAddCheckpoint(request),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = await response.text();
    if (response.status === 200)
      return { status: 200, ...this.cosignature(request.checkpoint, body) };
    if (response.status === 409) {
      const size = /^(0|[1-9][0-9]*)\n?$/.exec(body);
      if (!size)
        throw new WitnessAnswerRefused(this.id, `409 without a tree size: ${JSON.stringify(body)}`);
      return { status: 409, size: Number(size[1]) };
    }
    return { status: response.status, reason: body.trim().slice(0, 500) };
  }

  /** The witness's own cosignature among the lines it sent back, verified. */
  private cosignature(checkpoint: string, body: string): { line: string; timestamp: number } {
    const { text } = parseNote(checkpoint);
    try {
      const lines = body.split(/(?<=\n)/).filter((line) => line.trim() !== '');
      const [mine] = openNote(formatNote(text, lines), [this.witness.key]).verified;
      return { line: mine.line, timestamp: mine.timestamp as number };
    } catch (error) {
      if (!(error instanceof UntrustedNote || error instanceof MalformedNote)) throw error;
      throw new WitnessAnswerRefused(
        this.id,
        `no valid cosignature in its answer (${error.message})`,
      );
    }
  }
}

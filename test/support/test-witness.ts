import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseCheckpointText, type Checkpoint } from '../../src/ledger/checkpoints/checkpoint';
import { verifierKey, type NoteVerifier } from '../../src/ledger/checkpoints/note-keys';
import {
  cosignatureSigner,
  openNote,
  UntrustedNote,
  type NoteSigner,
} from '../../src/ledger/checkpoints/note-signatures';
import { MalformedNote, parseNote } from '../../src/ledger/checkpoints/signed-note';
import {
  parseAddCheckpoint,
  TLOG_SIZE_CONTENT_TYPE,
  type AddCheckpointRequest,
} from '../../src/ledger/checkpoints/witness-protocol';
import { EMPTY_ROOT } from '../../src/ledger/merkle/tree-hash';
import { InvalidProof, verifyConsistency } from '../../src/ledger/merkle/verify-proofs';

/** One answer the witness gave, for tests to look at. */
export interface WitnessAnswerRecord {
  readonly status: number;
  readonly oldSize: number | null;
  readonly size: number | null;
}

/** The request body, read as the specification lays it out; 400 when it is not. */
function parse(bytes: Buffer): { request: AddCheckpointRequest; checkpoint: Checkpoint } {
  let body: string;
  try {
    body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Refusal(400, 'the body is not UTF-8');
  }
  try {
    const request = parseAddCheckpoint(body);
    return { request, checkpoint: parseCheckpointText(parseNote(request.checkpoint).text) };
  } catch (error) {
    if (error instanceof MalformedNote) throw new Refusal(400, error.message);
    throw error;
  }
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly contentType = 'text/plain; charset=utf-8',
  ) {
    super(message);
  }
}

/**
 * A TEST WITNESS, not a witness service: the add-checkpoint endpoint of C2SP tlog-witness,
 * written from the specification's text, in memory, for the integration suites. It trusts
 * the log keys it is given per origin, keeps the latest size and root it cosigned per origin,
 * and answers as the specification says: 404 unknown origin, 403 no valid signature by a
 * trusted key, 400 malformed or old size above the checkpoint's, 409 (with text/x.tlog.size
 * and its size) when old is not the size it last cosigned, 422 for a consistency proof that
 * does not verify, and 200 with a cosignature/v1 line otherwise. Checking the old size and
 * recording the new checkpoint happen in one synchronous step: two requests cannot interleave.
 */
export class TestWitness {
  readonly answers: WitnessAnswerRecord[] = [];
  private readonly latest = new Map<string, { size: number; root: Buffer }>();

  private readonly server: Server;
  private address = '';

  private constructor(
    private readonly signer: NoteSigner,
    private readonly trusted: ReadonlyMap<string, readonly NoteVerifier[]>,
  ) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(
    name: string,
    trusted: ReadonlyMap<string, readonly NoteVerifier[]>,
  ): Promise<TestWitness> {
    const witness = new TestWitness(
      cosignatureSigner(name, generateKeyPairSync('ed25519').privateKey),
      trusted,
    );
    await new Promise<void>((resolve) => witness.server.listen(0, '127.0.0.1', resolve));
    witness.address = `http://127.0.0.1:${(witness.server.address() as AddressInfo).port}`;
    return witness;
  }

  /** Its submission prefix. */
  get url(): string {
    return this.address;
  }

  /** Its cosignature/v1 verifier key. */
  get verifierKey(): string {
    return verifierKey(this.signer.verifier);
  }

  /** The size it last cosigned for an origin (0: never). */
  sizeOf(origin: string): number {
    return this.latest.get(origin)?.size ?? 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let parsed: { request: AddCheckpointRequest; checkpoint: Checkpoint } | null = null;
    try {
      if (request.method !== 'POST' || request.url !== '/add-checkpoint') {
        throw new Refusal(404, 'not found');
      }
      parsed = parse(Buffer.concat(chunks));
      const line = this.addCheckpoint(parsed.request, parsed.checkpoint);
      this.answer(response, 200, line, 'text/plain; charset=utf-8', parsed);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.answer(response, error.status, error.message, error.contentType, parsed);
    }
  }

  /** The specification's checks, in its order, then the update and the cosignature. */
  private addCheckpoint(request: AddCheckpointRequest, checkpoint: Checkpoint): string {
    const keys = this.trusted.get(checkpoint.origin);
    if (!keys) throw new Refusal(404, `unknown origin ${checkpoint.origin}`);
    let text: string;
    try {
      text = openNote(request.checkpoint, keys).text;
    } catch (error) {
      if (error instanceof UntrustedNote) throw new Refusal(403, error.message);
      throw error;
    }
    if (request.oldSize > checkpoint.size) {
      throw new Refusal(
        400,
        `old size ${request.oldSize} is above the checkpoint's ${checkpoint.size}`,
      );
    }
    const latest = this.latest.get(checkpoint.origin) ?? { size: 0, root: EMPTY_ROOT };
    if (request.oldSize !== latest.size) {
      throw new Refusal(409, `${latest.size}\n`, TLOG_SIZE_CONTENT_TYPE);
    }
    if (checkpoint.size === 0 && !checkpoint.rootHash.equals(EMPTY_ROOT)) {
      throw new Refusal(422, 'a tree of size 0 has the empty root');
    }
    if (request.oldSize === 0) {
      if (request.proof.length > 0) throw new Refusal(422, 'a proof from size 0 must be empty');
    } else {
      try {
        verifyConsistency(
          request.oldSize,
          checkpoint.size,
          request.proof,
          latest.root,
          checkpoint.rootHash,
        );
      } catch (error) {
        if (error instanceof InvalidProof) throw new Refusal(422, error.message);
        throw error;
      }
    }
    this.latest.set(checkpoint.origin, { size: checkpoint.size, root: checkpoint.rootHash });
    return this.signer.sign(text);
  }

  private answer(
    response: ServerResponse,
    status: number,
    body: string,
    contentType: string,
    parsed: { request: AddCheckpointRequest; checkpoint: Checkpoint } | null,
  ): void {
    this.answers.push({
      status,
      oldSize: parsed?.request.oldSize ?? null,
      size: parsed?.checkpoint.size ?? null,
    });
    response.writeHead(status, { 'content-type': contentType }).end(body);
  }
}

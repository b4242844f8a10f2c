import { generateKeyPairSync } from 'node:crypto';
import { checkpointText } from '../src/ledger/checkpoints/checkpoint';
import { parseVerifierKey } from '../src/ledger/checkpoints/note-keys';
import {
  ed25519Signer,
  openNote,
  type NoteSigner,
} from '../src/ledger/checkpoints/note-signatures';
import { formatNote } from '../src/ledger/checkpoints/signed-note';
import {
  formatAddCheckpoint,
  type AddCheckpointRequest,
} from '../src/ledger/checkpoints/witness-protocol';
import { WitnessAnswerRefused, WitnessClient } from '../src/ledger/checkpointer/witness-client';
import { MemoryTree } from '../src/ledger/merkle/memory-tree';
import { EMPTY_ROOT, leafHash } from '../src/ledger/merkle/tree-hash';
import { TestWitness } from './support/test-witness';

/*
 * The witness protocol (C2SP tlog-witness add-checkpoint) between the checkpointer's client
 * and the test witness, over real HTTP: every answer the specification names.
 */

const ORIGIN = 'ledger.test/witness-protocol';
const newKey = () => generateKeyPairSync('ed25519').privateKey;

describe('add-checkpoint, the witness client against the test witness', () => {
  const log = ed25519Signer(ORIGIN, newKey());
  const stranger = ed25519Signer(ORIGIN, newKey());
  const tree = new MemoryTree();
  const forked = new MemoryTree();
  for (let i = 0; i < 20; i++) {
    tree.append(leafHash(Buffer.from(`event ${i}`)));
    forked.append(leafHash(Buffer.from(i === 3 ? 'rewritten' : `event ${i}`)));
  }
  let witness: TestWitness;
  let client: WitnessClient;

  const note = (size: number, signer: NoteSigner = log, of = tree, origin = ORIGIN) => {
    const text = checkpointText({ origin, size, rootHash: of.root(size) });
    return formatNote(text, [signer.sign(text)]);
  };

  const post = (request: AddCheckpointRequest | string, to = witness) =>
    fetch(`${to.url}/add-checkpoint`, {
      method: 'POST',
      body: typeof request === 'string' ? request : formatAddCheckpoint(request),
    });

  beforeAll(async () => {
    witness = await TestWitness.start('witness.test/w1', new Map([[ORIGIN, [log.verifier]]]));
    client = new WitnessClient({ url: witness.url, key: parseVerifierKey(witness.verifierKey) });
  });

  afterAll(() => witness?.close());

  it('cosigns a first checkpoint (old 0, no proof) with a cosignature/v1 that verifies', async () => {
    const checkpoint = note(5);
    const before = Math.floor(Date.now() / 1000);
    const answer = await client.addCheckpoint({ oldSize: 0, proof: [], checkpoint });
    expect(answer.status).toBe(200);
    const { line, timestamp } = answer as { line: string; timestamp: number };
    expect(timestamp).toBeGreaterThanOrEqual(before);
    const cosigned = openNote(checkpoint + line, [log.verifier, client.witness.key]);
    expect(cosigned.verified.map((v) => v.verifier.name)).toEqual([ORIGIN, 'witness.test/w1']);
    expect(witness.sizeOf(ORIGIN)).toBe(5);
  });

  it('answers 409 with its size (text/x.tlog.size) when old is not what it last cosigned', async () => {
    const response = await post({ oldSize: 0, proof: [], checkpoint: note(8) });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await response.text()).toBe('5\n');
    await expect(
      client.addCheckpoint({ oldSize: 3, proof: [], checkpoint: note(8) }),
    ).resolves.toEqual({
      status: 409,
      size: 5,
    });
  });

  it('cosigns a larger checkpoint with a consistency proof from the size it has', async () => {
    const answer = await client.addCheckpoint({
      oldSize: 5,
      proof: tree.consistencyProof(5, 12),
      checkpoint: note(12),
    });
    expect(answer.status).toBe(200);
    expect(witness.sizeOf(ORIGIN)).toBe(12);
  });

  it('answers 422 to a checkpoint its proof does not tie to what it cosigned: a rewritten tree', async () => {
    const answer = await client.addCheckpoint({
      oldSize: 12,
      proof: forked.consistencyProof(12, 16),
      checkpoint: note(16, log, forked),
    });
    expect(answer).toMatchObject({ status: 422 });
    expect(witness.sizeOf(ORIGIN)).toBe(12);
  });

  it.each([
    [
      'the same size with another root',
      () => ({ oldSize: 12, proof: [], checkpoint: note(12, log, forked) }),
    ],
    [
      'a truncated proof',
      () => ({ oldSize: 12, proof: tree.consistencyProof(12, 16).slice(1), checkpoint: note(16) }),
    ],
  ])('answers 422 to %s', async (_, request) => {
    expect((await post(request())).status).toBe(422);
  });

  it.each([
    [
      '403 to a checkpoint signed by a key it does not trust',
      () => ({ oldSize: 12, proof: [], checkpoint: note(12, stranger) }),
      403,
    ],
    [
      '404 to an origin it does not know',
      () => ({ oldSize: 0, proof: [], checkpoint: note(3, log, tree, 'other.test/log') }),
      404,
    ],
    [
      '400 to an old size above the checkpoint’s',
      () => ({ oldSize: 13, proof: [], checkpoint: note(12) }),
      400,
    ],
  ])('answers %s', async (_, request, status) => {
    expect((await post(request())).status).toBe(status);
  });

  it('answers 400 to a body that is not an add-checkpoint request', async () => {
    expect((await post('hello\n')).status).toBe(400);
    expect((await post(`old 12\nnot base64!\n\n${note(12)}`)).status).toBe(400);
  });

  it('answers 422 to a first checkpoint with a proof, or an empty tree with a root', async () => {
    const other = await TestWitness.start('witness.test/w2', new Map([[ORIGIN, [log.verifier]]]));
    try {
      const first = (size: number, rootHash: Buffer, proof: Buffer[] = []) => {
        const text = checkpointText({ origin: ORIGIN, size, rootHash });
        return post({ oldSize: 0, proof, checkpoint: formatNote(text, [log.sign(text)]) }, other);
      };
      expect((await first(12, tree.root(12), tree.consistencyProof(5, 12))).status).toBe(422);
      expect((await first(0, tree.root(1))).status).toBe(422);
      expect((await first(0, EMPTY_ROOT)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('refuses a cosignature that does not verify with the key the witness is configured with', async () => {
    const impostor = new WitnessClient({
      url: witness.url,
      key: { ...parseVerifierKey(witness.verifierKey), publicKey: Buffer.alloc(32, 7) },
    });
    await expect(
      impostor.addCheckpoint({
        oldSize: 12,
        proof: tree.consistencyProof(12, 14),
        checkpoint: note(14),
      }),
    ).rejects.toBeInstanceOf(WitnessAnswerRefused);
  });
});

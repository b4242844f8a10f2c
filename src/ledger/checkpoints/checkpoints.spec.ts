import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { MemoryTree } from '../merkle/memory-tree';
import { leafHash } from '../merkle/tree-hash';
import { checkpointText, parseCheckpointText } from './checkpoint';
import {
  ed25519Verifier,
  hexKeyId,
  InvalidKey,
  keyId,
  parseVerifierKey,
  SIGNATURE_TYPES,
  verifierKey,
} from './note-keys';
import { cosignatureSigner, ed25519Signer, openNote, UntrustedNote } from './note-signatures';
import { formatNote, MalformedNote, parseNote } from './signed-note';
import { formatAddCheckpoint, parseAddCheckpoint } from './witness-protocol';

const newKey = () => generateKeyPairSync('ed25519').privateKey;

/** The signature line with one base64 character of its signature changed. */
function tampered(line: string, at: number): string {
  const start = line.lastIndexOf(' ') + 1 + at;
  return `${line.slice(0, start)}${line[start] === 'A' ? 'B' : 'A'}${line.slice(start + 1)}`;
}

/** An Ed25519 private key from its 32-byte seed (PKCS#8 DER with the fixed prefix). */
function keyFromSeed(seed: Buffer) {
  const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([prefix, seed]), format: 'der', type: 'pkcs8' });
}

describe('signed notes (C2SP signed-note)', () => {
  it('verifies the specification’s example note with its example verifier key', () => {
    const vkey = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
    const note =
      'This is an example message.\n\n' +
      '— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
    const verifier = parseVerifierKey(vkey);
    expect(verifier).toMatchObject({ name: 'example.com/foo', keyId: 0x530d903a, type: 1 });
    expect(verifierKey(verifier)).toBe(vkey);
    const opened = openNote(note, [verifier]);
    expect(opened.text).toBe('This is an example message.\n');
    expect(opened.verified.map((v) => v.verifier.name)).toEqual(['example.com/foo']);
  });

  it('signs byte for byte as the Go reference does (golang.org/x/mod/sumdb/note example)', () => {
    // The package documentation's key: PRIVATE+KEY+PeterNeumann+c74f20a3+<0x01 || seed>.
    const seed = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
    const signer = ed25519Signer('PeterNeumann', keyFromSeed(seed));
    expect(hexKeyId(signer.verifier.keyId)).toBe('c74f20a3');
    const text =
      'If you think cryptography is the answer to your problem,\n' +
      "then you don't know what your problem is.\n";
    expect(signer.sign(text)).toBe(
      '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
    );
  });

  it('derives key ids from name, signature type and key', () => {
    const key = newKey();
    const plain = ed25519Verifier('log.example/a', SIGNATURE_TYPES.ed25519, key);
    const cosigner = ed25519Verifier('log.example/a', SIGNATURE_TYPES.cosignatureV1, key);
    expect(plain.keyId).not.toBe(cosigner.keyId);
    expect(plain.keyId).toBe(keyId('log.example/a', 1, plain.publicKey));
    expect(parseVerifierKey(verifierKey(cosigner))).toEqual(cosigner);
  });

  it.each([
    ['no parts', 'example.com/foo'],
    [
      'a key id that is not its key’s',
      'example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k',
    ],
    [
      'an unknown signature type',
      'example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k',
    ],
    ['a short key', 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYc'],
    ['a name with a space', 'example com+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k'],
  ])('refuses a verifier key with %s', (_, vkey) => {
    expect(() => parseVerifierKey(vkey)).toThrow(InvalidKey);
  });

  describe('opening a note', () => {
    const log = ed25519Signer('log.example/ledger', newKey());
    const other = ed25519Signer('log.example/ledger', newKey());
    const text = 'log.example/ledger\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

    it('ignores the signatures of unknown keys, even under the same name', () => {
      const note = formatNote(text, [other.sign(text), log.sign(text)]);
      expect(openNote(note, [log.verifier]).verified).toHaveLength(1);
    });

    it('refuses a note signed only by another key', () => {
      const note = formatNote(text, [other.sign(text)]);
      expect(() => openNote(note, [log.verifier])).toThrow(UntrustedNote);
    });

    it('refuses a note whose known key’s signature fails, whatever else verifies', () => {
      const forged = tampered(log.sign(text), 20);
      const note = formatNote(text, [forged, other.sign(text)]);
      expect(() => openNote(note, [log.verifier, other.verifier])).toThrow(
        'the signature of log.example/ledger does not verify',
      );
    });

    it('refuses a signature moved onto another text', () => {
      const note = formatNote(text.replace('\n3\n', '\n4\n'), [log.sign(text)]);
      expect(() => openNote(note, [log.verifier])).toThrow('does not verify');
    });

    it('checks timestamped cosignatures and reports their time', () => {
      const witness = cosignatureSigner('witness.example/w1', newKey(), () => 1_679_315_147);
      const note = formatNote(text, [log.sign(text), witness.sign(text)]);
      const opened = openNote(note, [log.verifier, witness.verifier]);
      expect(opened.verified.map((v) => [v.verifier.name, v.timestamp])).toEqual([
        ['log.example/ledger', null],
        ['witness.example/w1', 1_679_315_147],
      ]);
      // Its time is signed too: a cosignature whose time was changed does not verify.
      const forgedTime = tampered(witness.sign(text), 9);
      expect(() => openNote(formatNote(text, [forgedTime]), [witness.verifier])).toThrow(
        'the cosignature of witness.example/w1 does not verify',
      );
    });

    it.each([
      ['no blank line', `${text}— x AAAAAAA=\n`],
      ['no newline at the end', `${text}\n${log.sign(text).trimEnd()}`],
      ['a hyphen for the em dash', `${text}\n${log.sign(text).replace('—', '-')}`],
      ['a control character', `${text.replace('3', '3\t')}\n${log.sign(text)}`],
      ['no signature', `${text}\n`],
    ])('refuses a malformed note: %s', (_, note) => {
      expect(() => parseNote(note)).toThrow(MalformedNote);
    });
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  it('reads the specification’s example', () => {
    const text =
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const checkpoint = parseCheckpointText(text);
    expect(checkpoint).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20_852_163 });
    expect(checkpointText(checkpoint)).toBe(text);
  });

  it.each([
    ['a leading zero', 'o\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a short root', 'o\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n'],
    ['no origin', '\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['two lines only', 'o\n12\n'],
  ])('refuses %s', (_, text) => {
    expect(() => parseCheckpointText(text)).toThrow(MalformedNote);
  });
});

describe('add-checkpoint requests (C2SP tlog-witness)', () => {
  it('formats and reads the body: old size, proof lines, blank line, checkpoint', () => {
    const tree = new MemoryTree();
    for (let i = 0; i < 10; i++) tree.append(leafHash(Buffer.from([i])));
    const proof = tree.consistencyProof(6, 10);
    const checkpoint = 'o\n10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— o AAAAAAA=\n';
    const body = formatAddCheckpoint({ oldSize: 6, proof, checkpoint });
    expect(body.split('\n')[0]).toBe('old 6');
    expect(parseAddCheckpoint(body)).toEqual({ oldSize: 6, proof, checkpoint });
    expect(parseAddCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint }))).toEqual({
      oldSize: 0,
      proof: [],
      checkpoint,
    });
  });

  it.each([
    ['no old line', 'new 5\n\nx'],
    ['a leading zero', 'old 05\n\nx'],
    ['a proof line that is not base64', 'old 5\nnot base64!\n\nx'],
    ['no blank line', 'old 5\n'],
    ['64 proof lines', `old 5\n${'AAAA\n'.repeat(64)}\nx`],
  ])('refuses %s', (_, body) => {
    expect(() => parseAddCheckpoint(body)).toThrow(MalformedNote);
  });
});

import { sign, verify, type KeyObject } from 'node:crypto';
import { ed25519PublicKey, ed25519Verifier, SIGNATURE_TYPES, type NoteVerifier } from './note-keys';
import { checkNoteText, parseNote, signatureLine, type NoteSignature } from './signed-note';

/**
 * Signing and verifying notes with Ed25519: plain signatures (type 0x01, the log's) and
 * C2SP tlog-cosignature/v1 timestamped cosignatures (type 0x04, the witnesses').
 */

const ED25519_SIGNATURE_SIZE = 64;
const TIMESTAMP_SIZE = 8;

/** A private key that signs notes under a name. */
export interface NoteSigner {
  readonly verifier: NoteVerifier;
  /** The signature line for this text, newline included. */
  sign(text: string): string;
}

/** A trusted key that signed the note, and for a cosignature when (POSIX seconds). */
export interface VerifiedSignature {
  readonly verifier: NoteVerifier;
  readonly timestamp: number | null;
  readonly line: string;
}

export interface VerifiedNote {
  readonly text: string;
  /** Every signature line, trusted or not, as it was. */
  readonly signatures: readonly NoteSignature[];
  /** The signatures of trusted keys, all verified. */
  readonly verified: readonly VerifiedSignature[];
}

/** Signed by no trusted key, or a trusted key's signature does not verify. */
export class UntrustedNote extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UntrustedNote';
  }
}

/** The message a cosignature/v1 signs: a header line, a time line, then the note text. */
export function cosignedMessage(text: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, 'utf8');
}

export function ed25519Signer(name: string, privateKey: KeyObject): NoteSigner {
  const verifier = ed25519Verifier(name, SIGNATURE_TYPES.ed25519, privateKey);
  return {
    verifier,
    sign(text) {
      checkNoteText(text);
      return signatureLine(name, verifier.keyId, sign(null, Buffer.from(text, 'utf8'), privateKey));
    },
  };
}

/** A witness's signer: timestamped cosignatures at the time `now` gives (POSIX seconds). */
export function cosignatureSigner(
  name: string,
  privateKey: KeyObject,
  now: () => number = () => Math.floor(Date.now() / 1000),
): NoteSigner {
  const verifier = ed25519Verifier(name, SIGNATURE_TYPES.cosignatureV1, privateKey);
  return {
    verifier,
    sign(text) {
      checkNoteText(text);
      const timestamp = now();
      const stamp = Buffer.alloc(TIMESTAMP_SIZE);
      stamp.writeBigUInt64BE(BigInt(timestamp));
      const signature = sign(null, cosignedMessage(text, timestamp), privateKey);
      return signatureLine(name, verifier.keyId, Buffer.concat([stamp, signature]));
    },
  };
}

/** Checks one signature of `text` with the key it names; the cosignature's time, or null. */
function check(text: string, signature: NoteSignature, verifier: NoteVerifier): number | null {
  const key = ed25519PublicKey(verifier.publicKey);
  const { type, name } = verifier;
  if (type === SIGNATURE_TYPES.ed25519) {
    const ok =
      signature.signature.length === ED25519_SIGNATURE_SIZE &&
      verify(null, Buffer.from(text, 'utf8'), key, signature.signature);
    if (!ok) throw new UntrustedNote(`the signature of ${name} does not verify`);
    return null;
  }
  if (signature.signature.length !== TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE) {
    throw new UntrustedNote(`the cosignature of ${name} is not a timestamped Ed25519 signature`);
  }
  const timestamp = signature.signature.readBigUInt64BE(0);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UntrustedNote(`the cosignature of ${name} has an impossible time`);
  }
  const message = cosignedMessage(text, Number(timestamp));
  if (!verify(null, message, key, signature.signature.subarray(TIMESTAMP_SIZE))) {
    throw new UntrustedNote(`the cosignature of ${name} does not verify`);
  }
  return Number(timestamp);
}

/**
 * Opens a signed note as signed-note asks: signatures of unknown keys are ignored (a key is
 * known by name and key id together), a known key's signature that fails rejects the whole
 * note, and at least one known key must have signed.
 */
export function openNote(note: string, trusted: readonly NoteVerifier[]): VerifiedNote {
  const { text, signatures } = parseNote(note);
  const verified: VerifiedSignature[] = [];
  for (const signature of signatures) {
    const verifier = trusted.find((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (!verifier) continue;
    verified.push({ verifier, timestamp: check(text, signature, verifier), line: signature.line });
  }
  if (verified.length === 0) {
    const names = [...new Set(trusted.map((v) => v.name))].join(', ');
    throw new UntrustedNote(`no signature by a trusted key (${names || 'none given'})`);
  }
  return { text, signatures, verified };
}

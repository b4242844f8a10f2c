import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * C2SP signed-note keys. A key is named (a schema-less URL, by recommendation) and identified
 * by a 32-bit id derived from name, signature type and public key; verifiers share it as a
 * "vkey": <name>+<hex id>+<base64(type || public key)>.
 */

/** Signature types this ledger uses (signed-note's registry). */
export const SIGNATURE_TYPES = {
  /** Ed25519 over the note text: how the log signs its checkpoints. */
  ed25519: 0x01,
  /** Timestamped Ed25519 checkpoint cosignatures (C2SP tlog-cosignature): witnesses. */
  cosignatureV1: 0x04,
} as const;

export type SignatureType = (typeof SIGNATURE_TYPES)[keyof typeof SIGNATURE_TYPES];

/** What checks a signature: a name, its key id, the signature type and the public key. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly type: SignatureType;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
}

export class InvalidKey extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidKey';
  }
}

/** Key names are non-empty and hold neither Unicode spaces nor "+". */
export function isKeyName(name: string): boolean {
  return (
    name.length > 0 &&
    !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name)
  );
}

/** SHA-256(name || 0x0A || type || public key)[:4], read as a big-endian uint32. */
export function keyId(name: string, type: SignatureType, publicKey: Uint8Array): number {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest()
    .readUInt32BE(0);
}

export function hexKeyId(id: number): string {
  return id.toString(16).padStart(8, '0');
}

export function verifierKey(verifier: NoteVerifier): string {
  const material = Buffer.concat([Buffer.from([verifier.type]), verifier.publicKey]);
  return `${verifier.name}+${hexKeyId(verifier.keyId)}+${material.toString('base64')}`;
}

/** The 32 raw bytes of an Ed25519 public (or private) key. */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new InvalidKey(
      `an Ed25519 key is needed, not ${key.asymmetricKeyType ?? 'a secret key'}`,
    );
  }
  const { x } = key.export({ format: 'jwk' });
  return Buffer.from(x as string, 'base64url');
}

export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

/** A verifier for an Ed25519 key, under a name, for one signature type. */
export function ed25519Verifier(name: string, type: SignatureType, key: KeyObject): NoteVerifier {
  if (!isKeyName(name)) throw new InvalidKey(`${JSON.stringify(name)} is not a key name`);
  const publicKey = rawEd25519PublicKey(key);
  return { name, type, publicKey, keyId: keyId(name, type, publicKey) };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 (RFC 4648 §4), padded, nothing else: one encoding for each byte string. */
export function decodeBase64(text: string): Buffer | null {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

/** Parses a vkey; its key id must be the one its name, type and key give. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const parts = vkey.trim().split('+');
  // The base64 part may itself hold "+": the name and the id are the first two parts.
  const [name, id, ...rest] = parts;
  const material = rest.length > 0 ? decodeBase64(rest.join('+')) : null;
  if (name === undefined || !isKeyName(name) || !/^[0-9a-f]{8}$/.test(id ?? '') || !material) {
    throw new InvalidKey(`not a verifier key (name+hexid+base64): ${JSON.stringify(vkey)}`);
  }
  const type = material[0];
  if (type !== SIGNATURE_TYPES.ed25519 && type !== SIGNATURE_TYPES.cosignatureV1) {
    throw new InvalidKey(
      `verifier key ${name}: signature type 0x${type?.toString(16)} is not supported`,
    );
  }
  const publicKey = material.subarray(1);
  if (publicKey.length !== 32) {
    throw new InvalidKey(
      `verifier key ${name}: an Ed25519 public key is 32 bytes, not ${publicKey.length}`,
    );
  }
  const expected = keyId(name, type, publicKey);
  if (hexKeyId(expected) !== id) {
    throw new InvalidKey(
      `verifier key ${name}: key id ${id} does not match its key (${hexKeyId(expected)})`,
    );
  }
  return { name, keyId: expected, type, publicKey };
}

import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../config/config';
import {
  hexKeyId,
  InvalidKey,
  parseVerifierKey,
  SIGNATURE_TYPES,
  type NoteVerifier,
} from '../checkpoints/note-keys';
import { ed25519Signer, type NoteSigner } from '../checkpoints/note-signatures';
import type { TransparencyConfig } from './transparency-config';

/** The file a key is generated into when none is configured (embedded default). */
export const GENERATED_KEY_FILE = 'ledger-signing-key.pem';

/** The log's signing key, and every key its checkpoints may verify with (rotation). */
export interface LedgerKeys {
  readonly signer: NoteSigner;
  /** The signing key's verifier first, then the retired keys'. */
  readonly verifiers: readonly NoteVerifier[];
  /** Where the signing key was read from; `generated` when this start created it. */
  readonly source: { readonly file: string; readonly generated: boolean };
}

/** The key id a person reads: the key's name and its hex id. */
export function keyLabel(verifier: NoteVerifier): string {
  return `${verifier.name}+${hexKeyId(verifier.keyId)}`;
}

/** A file a setting names; one that cannot be read is a configuration problem. */
function readSettingFile(variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${variable}: cannot read ${file}: ${(error as Error).message}`]);
  }
}

function readPrivateKey(file: string): KeyObject {
  const pem = readSettingFile('LEDGER_SIGNING_KEY_FILE', file);
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Error(`it holds an ${key.asymmetricKeyType ?? 'unknown'} key`);
    }
    return key;
  } catch (error) {
    throw new ConfigError([
      `LEDGER_SIGNING_KEY_FILE: ${file} is not an Ed25519 private key in PKCS#8 PEM (${(error as Error).message}); make one with: openssl genpkey -algorithm ed25519 -out ${file}`,
    ]);
  }
}

/**
 * The embedded default: the key in DATA_DIR, generated on the first start. Created with
 * O_EXCL, so two processes starting together end up with the one the first wrote.
 */
function generatedKey(dataDir: string): { key: KeyObject; file: string; generated: boolean } {
  const file = join(dataDir, GENERATED_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      flag: 'wx',
      mode: 0o600,
    });
    return { key: privateKey, file, generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { key: readPrivateKey(file), file, generated: false };
  }
}

function readVerificationKeys(file: string): NoteVerifier[] {
  const text = readSettingFile('LEDGER_VERIFICATION_KEYS_FILE', file);
  const problems: string[] = [];
  const keys: NoteVerifier[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      const key = parseVerifierKey(line);
      if (key.type !== SIGNATURE_TYPES.ed25519)
        throw new InvalidKey('not an Ed25519 (type 0x01) key');
      keys.push(key);
    } catch (error) {
      if (!(error instanceof InvalidKey)) throw error;
      problems.push(`LEDGER_VERIFICATION_KEYS_FILE line ${i + 1}: ${error.message}`);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return keys;
}

export function loadLedgerKeys(config: TransparencyConfig, dataDir: string): LedgerKeys {
  const { key, file, generated } =
    config.signingKeyFile === null
      ? generatedKey(dataDir)
      : {
          key: readPrivateKey(config.signingKeyFile),
          file: config.signingKeyFile,
          generated: false,
        };
  const signer = ed25519Signer(config.origin, key);
  const retired = config.verificationKeysFile
    ? readVerificationKeys(config.verificationKeysFile).filter(
        (k) => k.keyId !== signer.verifier.keyId || k.name !== signer.verifier.name,
      )
    : [];
  return { signer, verifiers: [signer.verifier, ...retired], source: { file, generated } };
}

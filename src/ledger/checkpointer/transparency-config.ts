import { resolve } from 'node:path';
import {
  InvalidKey,
  isKeyName,
  parseVerifierKey,
  SIGNATURE_TYPES,
  type NoteVerifier,
} from '../checkpoints/note-keys';

/** A witness the checkpointer asks for cosignatures: its submission prefix and its key. */
export interface WitnessConfig {
  readonly url: string;
  /** A cosignature/v1 (type 0x04) verifier key. */
  readonly key: NoteVerifier;
}

/** How the ledger signs its tree heads, how often, and who cosigns them. */
export interface TransparencyConfig {
  /** The checkpoints' origin line, and the log key's name. */
  readonly origin: string;
  /** Null: a key generated into DATA_DIR on first start (refused when NODE_ENV=production). */
  readonly signingKeyFile: string | null;
  /** Verifier keys of earlier signing keys (rotation), one a line. */
  readonly verificationKeysFile: string | null;
  /** Sign once this many events arrived since the last checkpoint… */
  readonly checkpointEveryEvents: number;
  /** …or once this many seconds passed with any new event. */
  readonly checkpointEverySeconds: number;
  readonly witnesses: readonly WitnessConfig[];
}

export const DEFAULT_ORIGIN = 'localhost/change-ledger';

/** The witnesses: comma-separated "<submission URL> <witness verifier key>" pairs. */
function parseWitnesses(raw: string, problems: string[]): WitnessConfig[] {
  const witnesses: WitnessConfig[] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [url, vkey, ...rest] = entry.split(/\s+/);
    let key: NoteVerifier | null = null;
    try {
      key = parseVerifierKey(vkey ?? '');
    } catch (error) {
      if (!(error instanceof InvalidKey)) throw error;
      problems.push(`LEDGER_WITNESSES: ${error.message}`);
    }
    if (!/^https?:\/\/[^\s]+$/.test(url) || rest.length > 0 || vkey === undefined) {
      problems.push(`LEDGER_WITNESSES: "${entry}" is not "<http(s) URL> <verifier key>"`);
    } else if (key && key.type !== SIGNATURE_TYPES.cosignatureV1) {
      problems.push(`LEDGER_WITNESSES: the key of ${url} is not a cosignature/v1 (type 0x04) key`);
    } else if (key) {
      witnesses.push({ url: url.replace(/\/+$/, ''), key });
    }
  }
  return witnesses;
}

export function parseTransparencyConfig(
  env: NodeJS.ProcessEnv,
  production: boolean,
  integer: (name: string, fallback: number, min: number, max: number) => number,
): { config: TransparencyConfig; problems: string[] } {
  const problems: string[] = [];
  const text = (name: string): string | null => env[name]?.trim() || null;
  const origin = text('LEDGER_ORIGIN');
  if (origin !== null && (!isKeyName(origin) || origin.length > 255)) {
    problems.push(
      `LEDGER_ORIGIN must be a name without spaces or "+" (e.g. ledger.example.com/changes), got ${JSON.stringify(origin)}`,
    );
  }
  const signingKeyFile = text('LEDGER_SIGNING_KEY_FILE');
  if (production && signingKeyFile === null) {
    problems.push('LEDGER_SIGNING_KEY_FILE is required when NODE_ENV=production');
  }
  if (production && origin === null) {
    problems.push('LEDGER_ORIGIN is required when NODE_ENV=production (it names this log)');
  }
  const verificationKeysFile = text('LEDGER_VERIFICATION_KEYS_FILE');
  return {
    problems,
    config: {
      origin: origin ?? DEFAULT_ORIGIN,
      signingKeyFile: signingKeyFile === null ? null : resolve(signingKeyFile),
      verificationKeysFile: verificationKeysFile === null ? null : resolve(verificationKeysFile),
      checkpointEveryEvents: integer('LEDGER_CHECKPOINT_EVENTS', 1000, 1, 10_000_000),
      checkpointEverySeconds: integer('LEDGER_CHECKPOINT_SECONDS', 5, 1, 86_400),
      witnesses: parseWitnesses(text('LEDGER_WITNESSES') ?? '', problems),
    },
  };
}

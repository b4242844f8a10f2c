import { parseCheckpointText, type Checkpoint } from '../ledger/checkpoints/checkpoint';
import {
  hexKeyId,
  InvalidKey,
  parseVerifierKey,
  SIGNATURE_TYPES,
  type NoteVerifier,
} from '../ledger/checkpoints/note-keys';
import { openNote, UntrustedNote } from '../ledger/checkpoints/note-signatures';
import { MalformedNote } from '../ledger/checkpoints/signed-note';
import { UsageError, VerificationFailed } from './verification-failed';

/** The keys the auditor trusts: the log's (type 0x01) and, optionally, witnesses' (0x04). */
export interface TrustedKeys {
  readonly log: readonly NoteVerifier[];
  readonly witnesses: readonly NoteVerifier[];
}

export interface TrustedCheckpoint extends Checkpoint {
  /** name+hexid of each trusted key that signed or cosigned it. */
  readonly signedBy: readonly string[];
}

const label = (key: NoteVerifier) => `${key.name}+${hexKeyId(key.keyId)}`;

function parseKeys(vkeys: readonly string[], type: number, option: string): NoteVerifier[] {
  return vkeys.map((vkey) => {
    try {
      const key = parseVerifierKey(vkey);
      if (key.type !== type) throw new InvalidKey(`it is a key of signature type 0x0${key.type}`);
      return key;
    } catch (error) {
      if (!(error instanceof InvalidKey)) throw error;
      throw new UsageError(`${option} ${vkey}: ${error.message}`);
    }
  });
}

export function trustedKeys(
  logKeys: readonly string[],
  witnessKeys: readonly string[],
): TrustedKeys {
  if (logKeys.length === 0) {
    throw new UsageError("give the log's verifier key with --key (from a source you trust)");
  }
  return {
    log: parseKeys(logKeys, SIGNATURE_TYPES.ed25519, '--key'),
    witnesses: parseKeys(witnessKeys, SIGNATURE_TYPES.cosignatureV1, '--witness-key'),
  };
}

/**
 * Opens a checkpoint note with the trusted keys only: a log key must have signed it, every
 * witness key given must have cosigned it, and any trusted key's signature that fails is a
 * forgery that rejects the whole note.
 */
export function trustCheckpoint(note: string, keys: TrustedKeys, what: string): TrustedCheckpoint {
  try {
    const opened = openNote(note, [...keys.log, ...keys.witnesses]);
    const byLog = opened.verified.filter((v) => v.verifier.type === SIGNATURE_TYPES.ed25519);
    if (byLog.length === 0) {
      throw new VerificationFailed(`${what} is not signed by any log key given with --key`);
    }
    for (const witness of keys.witnesses) {
      if (!opened.verified.some((v) => v.verifier === witness)) {
        throw new VerificationFailed(
          `${what} has no valid cosignature by witness ${label(witness)}`,
        );
      }
    }
    return {
      ...parseCheckpointText(opened.text),
      signedBy: opened.verified.map((v) => label(v.verifier)),
    };
  } catch (error) {
    if (error instanceof UntrustedNote || error instanceof MalformedNote) {
      throw new VerificationFailed(`${what}: ${error.message}`);
    }
    throw error;
  }
}

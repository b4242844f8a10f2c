import { decodeBase64, hexKeyId, isKeyName } from './note-keys';

/**
 * C2SP signed-note: a text ending in a newline, a blank line, then signature lines
 * "— <key name> base64(uint32 key id || signature)". The signatures cover the text including
 * its final newline; the text ends at the note's last blank line.
 */

/** Signature lines start with an em dash (U+2014) and a space. */
const SIGNATURE_PREFIX = '\u2014 ';
const SIGNATURE_LINE = /^\u2014 (\S+) (\S+)$/u;
/** The specification asks to accept at least 16; more than this is refused as abuse. */
const MAX_SIGNATURES = 100;

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes after the key id. */
  readonly signature: Buffer;
  /** The whole line, newline included, as it was. */
  readonly line: string;
}

export interface Note {
  /** The signed text, final newline included. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export class MalformedNote extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedNote';
  }
}

export function signatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const id = Buffer.from(hexKeyId(keyId), 'hex');
  return `${SIGNATURE_PREFIX}${name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

/** Parses one signature line (with or without its newline). */
export function parseSignatureLine(line: string): NoteSignature {
  const match = SIGNATURE_LINE.exec(line.endsWith('\n') ? line.slice(0, -1) : line);
  const bytes = match ? decodeBase64(match[2]) : null;
  if (!match || !isKeyName(match[1]) || !bytes || bytes.length < 5) {
    throw new MalformedNote(`not a note signature line: ${JSON.stringify(line)}`);
  }
  return {
    name: match[1],
    keyId: bytes.readUInt32BE(0),
    signature: bytes.subarray(4),
    line: line.endsWith('\n') ? line : `${line}\n`,
  };
}

/** Checks the text can be signed as a note: non-empty, newline-terminated, no control chars. */
export function checkNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n')) {
    throw new MalformedNote('a note text is not empty and ends with a newline');
  }
  // Newline is the only control character a note may hold.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) {
      throw new MalformedNote('a note holds no control characters but newlines');
    }
  }
}

export function parseNote(note: string): Note {
  checkNoteText(note);
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new MalformedNote('a signed note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (text.length === 0) throw new MalformedNote('the note text is empty');
  if (lines.length > MAX_SIGNATURES) {
    throw new MalformedNote(`more than ${MAX_SIGNATURES} signatures`);
  }
  return { text, signatures: lines.map((line) => parseSignatureLine(line)) };
}

/** The note: the text, a blank line, the signature lines. */
export function formatNote(text: string, signatureLines: readonly string[]): string {
  checkNoteText(text);
  return `${text}\n${signatureLines.join('')}`;
}

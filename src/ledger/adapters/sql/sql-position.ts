import { InvalidPosition } from '../../ledger-errors';

/** Position in the SQL feed: "<transaction id>:<identity>", compared as a pair of integers. */
export interface SqlPosition {
  readonly tx: string;
  readonly pos: string;
}

const FORMAT = /^(\d{1,20}):(\d{1,20})$/;

export function encodeSqlPosition(tx: string, pos: string): string {
  return `${tx}:${pos}`;
}

/** Throws InvalidPosition for anything this store did not hand out. */
export function decodeSqlPosition(position: string): SqlPosition {
  const match = FORMAT.exec(position);
  if (!match) throw new InvalidPosition(position);
  return { tx: match[1], pos: match[2] };
}

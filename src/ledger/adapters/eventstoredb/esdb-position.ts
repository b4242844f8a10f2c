import { InvalidPosition } from '../../ledger-errors';

/** A place in EventStoreDB's `$all`: the transaction log's commit and prepare positions. */
export interface EsdbPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** gRPC positions are unsigned 64-bit; all ones is what old servers send for "no position". */
const U64_MAX = (1n << 64n) - 1n;

// The "esdb:" prefix keeps these apart from the SQL store's "<tx>:<pos>" positions, so a
// checkpoint written under one store is refused, not misread, by the other.
const FORMAT = /^esdb:(0|[1-9]\d{0,19}):(0|[1-9]\d{0,19})$/;

/** True when the server did not say where the event sits in `$all` (stream reads before 22.10). */
export function isUnknownPosition(position: EsdbPosition | undefined): boolean {
  return position === undefined || position.commit === U64_MAX || position.prepare === U64_MAX;
}

export function encodeEsdbPosition({ commit, prepare }: EsdbPosition): string {
  if (!inRange(commit) || !inRange(prepare) || isUnknownPosition({ commit, prepare })) {
    throw new RangeError(`not an EventStoreDB $all position: ${commit}/${prepare}`);
  }
  return `esdb:${commit}:${prepare}`;
}

/** Throws InvalidPosition for anything this adapter did not hand out. */
export function decodeEsdbPosition(position: string): EsdbPosition {
  const match = FORMAT.exec(position);
  if (!match) throw new InvalidPosition(position);
  const decoded = { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
  if (!inRange(decoded.commit) || !inRange(decoded.prepare) || isUnknownPosition(decoded)) {
    throw new InvalidPosition(position);
  }
  return decoded;
}

/** `$all` order: by commit position, then prepare position (what the server compares). */
export function compareEsdbPositions(a: EsdbPosition, b: EsdbPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

function inRange(value: bigint): boolean {
  return value >= 0n && value <= U64_MAX;
}

import { InvalidPosition } from '../../ledger-errors';
import {
  compareEsdbPositions,
  decodeEsdbPosition,
  encodeEsdbPosition,
  isUnknownPosition,
} from './esdb-position';

const U64_MAX = 18446744073709551615n;

describe('EventStoreDB positions', () => {
  it('round-trips commit and prepare through an opaque string', () => {
    for (const position of [
      { commit: 0n, prepare: 0n },
      { commit: 1234n, prepare: 1200n },
      { commit: U64_MAX - 1n, prepare: U64_MAX - 1n },
    ]) {
      const encoded = encodeEsdbPosition(position);
      expect(encoded).toBe(`esdb:${position.commit}:${position.prepare}`);
      expect(decodeEsdbPosition(encoded)).toEqual(position);
    }
  });

  it('refuses what it did not hand out, SQL store positions included', () => {
    for (const bad of [
      '',
      '12:34',
      'esdb:12',
      'esdb:12:34:56',
      'esdb:-1:0',
      'esdb:01:1',
      'esdb:1:1 ',
      'ESDB:1:1',
      'esdb:1e3:1',
      `esdb:${U64_MAX + 1n}:0`,
      `esdb:${U64_MAX}:${U64_MAX}`,
      'esdb:123456789012345678901:0',
    ]) {
      expect(() => decodeEsdbPosition(bad)).toThrow(InvalidPosition);
    }
  });

  it('will not encode a position the server did not give', () => {
    expect(() => encodeEsdbPosition({ commit: U64_MAX, prepare: U64_MAX })).toThrow(RangeError);
    expect(() => encodeEsdbPosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(isUnknownPosition(undefined)).toBe(true);
    expect(isUnknownPosition({ commit: U64_MAX, prepare: U64_MAX })).toBe(true);
    expect(isUnknownPosition({ commit: 0n, prepare: 0n })).toBe(false);
  });

  it('orders by commit position, then prepare position', () => {
    const p = (commit: bigint, prepare: bigint) => ({ commit, prepare });
    expect(compareEsdbPositions(p(10n, 5n), p(10n, 5n))).toBe(0);
    expect(compareEsdbPositions(p(9n, 99n), p(10n, 0n))).toBe(-1);
    expect(compareEsdbPositions(p(10n, 6n), p(10n, 5n))).toBe(1);
    // Numerically, not as text: "9" sorts after "10" as a string.
    expect(compareEsdbPositions(p(9n, 9n), p(10n, 10n))).toBe(-1);
  });
});

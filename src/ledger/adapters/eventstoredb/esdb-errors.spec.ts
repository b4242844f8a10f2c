import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  StreamDeletedError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { Metadata, status } from '@grpc/grpc-js';
import { StoreUnavailable, StreamDeleted, WrongExpectedRevision } from '../../ledger-errors';
import { isUnavailable, toLedgerError } from './esdb-errors';

const wrongVersion = (
  current: bigint | 'no_stream',
  expected: bigint | 'no_stream' | 'any' | 'stream_exists',
) => new WrongExpectedVersionError(undefined, { streamName: 'change-1', current, expected });

describe('EventStoreDB error mapping', () => {
  it('maps a wrong expected version to WrongExpectedRevision with the actual revision', () => {
    const mapped = toLedgerError(wrongVersion(4n, 2n));
    expect(mapped).toBeInstanceOf(WrongExpectedRevision);
    expect(mapped).toMatchObject({ streamId: 'change-1', expected: 2, actual: 4 });
    expect(toLedgerError(wrongVersion('no_stream', 3n))).toMatchObject({ actual: -1 });
    expect(toLedgerError(wrongVersion(0n, 'no_stream'))).toMatchObject({
      expected: 'no-stream',
      actual: 0,
    });
  });

  it("reports the caller's expectation, not the exact revision the adapter sent", () => {
    expect(toLedgerError(wrongVersion(7n, 6n), { expected: 'any' })).toMatchObject({
      expected: 'any',
      actual: 7,
    });
  });

  it('maps a deleted stream to StreamDeleted', () => {
    const mapped = toLedgerError(StreamDeletedError.fromStreamName('change-9'));
    expect(mapped).toBeInstanceOf(StreamDeleted);
    expect(mapped).toMatchObject({ streamId: 'change-9' });
  });

  it('maps an unreachable, timed-out or shutting-down server to StoreUnavailable', () => {
    const grpcError = (code: status) =>
      Object.assign(new Error(`${code} failed`), { code, details: '', metadata: new Metadata() });
    for (const error of [
      new UnavailableError(grpcError(status.UNAVAILABLE)),
      new DeadlineExceededError(),
      new CancelledError(),
      new TimeoutError(),
      grpcError(status.UNAVAILABLE),
      grpcError(status.DEADLINE_EXCEEDED),
      new Error('Failed to discover after 10 attempts.'),
      new Error('connect ECONNREFUSED 127.0.0.1:2113'),
    ]) {
      const mapped = toLedgerError(error);
      expect(mapped).toBeInstanceOf(StoreUnavailable);
      expect((mapped as StoreUnavailable).cause).toBe(error);
    }
  });

  it('leaves every other error as it is', () => {
    for (const error of [new AccessDeniedError(), new TypeError('bug'), 'text', null]) {
      expect(toLedgerError(error)).toBe(error);
      expect(isUnavailable(error)).toBe(false);
    }
  });
});

import {
  BadRequestException,
  ForbiddenException,
  ImATeapotException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { DomainError } from '../kernel/domain-error';
import {
  DuplicateEventConflict,
  InvalidPosition,
  StoreUnavailable,
  UnstorableEvent,
  WrongExpectedRevision,
} from '../ledger/ledger-errors';
import { ConflictingRedelivery } from '../ingest/observation';
import { IdempotencyKeyReused } from './idempotency/idempotency-key.interceptor';
import { SqlUnavailable } from '../sql/sql-unavailable';
import { NotInLog } from '../ledger/transparency-errors';
import { InvalidRequest } from './problem';
import { RateLimited } from './security/rate-limits';
import { toProblem } from './problem.filter';

describe('toProblem', () => {
  it.each([
    [new InvalidRequest([{ field: 'title', reason: 'too short' }]), 400, 'invalid-request'],
    [new DomainError('change-not-found', 'x'), 404, 'change-not-found'],
    [
      new DomainError('invalid-transition', 'cannot verify a change that is approved'),
      409,
      'invalid-transition',
    ],
    [new DomainError('self-approval', 'x'), 422, 'self-approval'],
    [new WrongExpectedRevision('change-1', 2, 3), 409, 'concurrent-write'],
    [new DuplicateEventConflict('e'), 409, 'duplicate-event'],
    [new UnstorableEvent('e', 'NUL'), 400, 'unstorable-event'],
    [new InvalidPosition('x'), 400, 'invalid-position'],
    [new StoreUnavailable(new Error('ECONNREFUSED')), 503, 'store-unavailable'],
    [new SqlUnavailable(new Error('Connection terminated')), 503, 'store-unavailable'],
    [new NotInLog('event-not-in-tree', 'x'), 404, 'event-not-in-tree'],
    [new ForbiddenException('requires approver'), 403, 'forbidden'],
    [new BadRequestException('Validation failed (uuid is expected)'), 400, 'bad-request'],
    [new ImATeapotException(), 418, 'http-418'],
    [new PayloadTooLargeException(), 413, 'body-too-large'],
    [new ConflictingRedelivery('generic:1'), 409, 'conflicting-redelivery'],
    [new IdempotencyKeyReused('first used for another request'), 422, 'idempotency-key-reused'],
    [new RateLimited(30, 'principal'), 429, 'rate-limited'],
    [new Error('bug'), 500, 'internal-error'],
  ])('maps %p to %i %s', (error, status, code) => {
    expect(toProblem(error)).toMatchObject({ status, code });
  });

  it('keeps the field list and the winning revision', () => {
    expect(toProblem(new InvalidRequest([{ field: 'a.b', reason: 'r' }])).errors).toEqual([
      { field: 'a.b', reason: 'r' },
    ]);
    expect(toProblem(new WrongExpectedRevision('s', 1, 4)).actualRevision).toBe(4);
  });

  it('never leaks an internal error message', () => {
    expect(toProblem(new Error('password=hunter2')).detail).not.toContain('hunter2');
  });
});

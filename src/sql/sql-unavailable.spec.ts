import { asSqlError, isConnectionFailure, SqlUnavailable } from './sql-unavailable';

/** What `pg` hands over for a server error: a message and its SQLSTATE. */
function serverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
}

describe('isConnectionFailure', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['08006', 'connection failure'],
    ['53300', 'sorry, too many clients already'],
    ['53100', 'could not extend file: No space left on device'],
  ])('counts SQLSTATE %s (%s) as the server failing', (code, message) => {
    expect(isConnectionFailure(serverError(code, message))).toBe(true);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])(
    'counts the socket error %s',
    (code) => {
      expect(isConnectionFailure(socketError(code))).toBe(true);
    },
  );

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'PGlite is closed',
  ])('counts the driver saying "%s"', (message) => {
    expect(isConnectionFailure(new Error(message))).toBe(true);
  });

  it('counts a trap of the embedded engine', () => {
    const { RuntimeError } = (
      globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }
    ).WebAssembly;
    expect(isConnectionFailure(new RuntimeError('unreachable'))).toBe(true);
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint "ledger_events_event_id_key"'],
    ['22P05', 'unsupported Unicode escape sequence'],
    ['42P01', 'relation "nowhere" does not exist'],
    ['40001', 'could not serialize access due to concurrent update'],
    ['57014', 'canceling statement due to statement timeout'],
  ])('leaves SQLSTATE %s (%s) to the statement', (code, message) => {
    expect(isConnectionFailure(serverError(code, message))).toBe(false);
  });

  it('leaves our own bugs and odd values alone', () => {
    expect(isConnectionFailure(new TypeError('x is undefined'))).toBe(false);
    expect(isConnectionFailure(new Error('ledger row has no hash'))).toBe(false);
    expect(isConnectionFailure('Connection terminated')).toBe(false);
    expect(isConnectionFailure(null)).toBe(false);
  });
});

describe('asSqlError', () => {
  it('wraps a failure of the database once, keeping the cause', () => {
    const cause = serverError('57P01', 'terminating connection due to administrator command');
    const wrapped = asSqlError(cause);
    expect(wrapped).toBeInstanceOf(SqlUnavailable);
    expect((wrapped as SqlUnavailable).cause).toBe(cause);
    expect((wrapped as Error).message).toBe(
      'database unavailable: terminating connection due to administrator command',
    );
    expect(asSqlError(wrapped)).toBe(wrapped);
  });

  it('passes every other error through untouched', () => {
    const unique = serverError('23505', 'duplicate key');
    expect(asSqlError(unique)).toBe(unique);
  });
});

import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded store on port 3000 with ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      eventStore: 'embedded',
      dataDir: resolve('./data'),
      databaseUrl: null,
      apiKeysFile: null,
      production: false,
      bodyLimitBytes: 1_048_576,
      databaseConnectTimeoutMs: 5000,
      retryBackoff: { initialMs: 250, maxMs: 5000 },
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      EVENT_STORE: 'postgres',
      DATABASE_URL: 'postgres://x@db/ledger',
      API_KEYS_FILE: '/etc/keys.json',
      LOG_LEVEL: 'debug',
      BODY_LIMIT_BYTES: '2048',
      FEED_POLL_MS: '50',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      RETRY_BACKOFF_INITIAL_MS: '100',
      RETRY_BACKOFF_MAX_MS: '1000',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      eventStore: 'postgres',
      databaseUrl: 'postgres://x@db/ledger',
      apiKeysFile: '/etc/keys.json',
      logLevel: 'debug',
      bodyLimitBytes: 2048,
      feedPollMs: 50,
      databaseConnectTimeoutMs: 2000,
      retryBackoff: { initialMs: 100, maxMs: 1000 },
    });
  });

  it('names every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', EVENT_STORE: 'mongo', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT[^]*EVENT_STORE|EVENT_STORE[^]*PORT/);
    expect(problems.some((p) => p.startsWith('LOG_LEVEL'))).toBe(true);
  });

  it('refuses a back-off whose cap is below its first wait', () => {
    expect(() =>
      loadConfig({ RETRY_BACKOFF_INITIAL_MS: '500', RETRY_BACKOFF_MAX_MS: '100' }),
    ).toThrow(/RETRY_BACKOFF_MAX_MS must not be less than RETRY_BACKOFF_INITIAL_MS/);
  });

  it('requires the connection a store needs', () => {
    expect(() => loadConfig({ EVENT_STORE: 'postgres' })).toThrow(/DATABASE_URL is required/);
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(
      /EVENTSTORE_CONNECTION_STRING is required/,
    );
  });

  it('reports Kafka problems with its own, and leaves Kafka off without brokers', () => {
    expect(loadConfig({}).kafka).toBeNull();
    expect(() => loadConfig({ KAFKA_BROKERS: 'nope', PORT: '0' })).toThrow(
      /KAFKA_BROKERS: "nope" is not host:port[^]*PORT must be/,
    );
    expect(loadConfig({ KAFKA_BROKERS: '127.0.0.1:19092' }).kafka?.brokers).toEqual([
      '127.0.0.1:19092',
    ]);
  });

  it('refuses the public demo keys in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/API_KEYS_FILE is required/);
    expect(loadConfig({ NODE_ENV: 'production', API_KEYS_FILE: 'k.json' }).production).toBe(true);
  });
});

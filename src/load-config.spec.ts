import { resolve } from 'node:path';
import { ConfigError } from './config/config';
import { loadConfig } from './load-config';

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

  it('refuses the public demo keys, and a generated signing key, in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/API_KEYS_FILE is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', API_KEYS_FILE: 'k.json' })).toThrow(
      /LEDGER_SIGNING_KEY_FILE is required[^]*LEDGER_ORIGIN is required/,
    );
    const production = loadConfig({
      NODE_ENV: 'production',
      API_KEYS_FILE: 'k.json',
      LEDGER_SIGNING_KEY_FILE: '/etc/ledger/key.pem',
      LEDGER_ORIGIN: 'ledger.example.com/changes',
    });
    expect(production.production).toBe(true);
    expect(production.transparency).toMatchObject({
      origin: 'ledger.example.com/changes',
      signingKeyFile: '/etc/ledger/key.pem',
    });
  });

  describe('signed checkpoints', () => {
    const witnessKey = 'witness.example/w1+82b2e049+BBB1URzuqdlUTFs2GPUc6sxA9q0cH918iQ7zjLj7T3v2';

    it('defaults to a generated key, a local origin, every 1,000 events or 5 s, no witness', () => {
      expect(loadConfig({}).transparency).toEqual({
        origin: 'localhost/change-ledger',
        signingKeyFile: null,
        verificationKeysFile: null,
        checkpointEveryEvents: 1000,
        checkpointEverySeconds: 5,
        witnesses: [],
      });
    });

    it('reads the interval, the rotation keys file and the witnesses', () => {
      const config = loadConfig({
        LEDGER_CHECKPOINT_EVENTS: '50',
        LEDGER_CHECKPOINT_SECONDS: '60',
        LEDGER_VERIFICATION_KEYS_FILE: 'old-keys.txt',
        LEDGER_WITNESSES: `https://w1.example/witness/ ${witnessKey}, http://127.0.0.1:9000 ${witnessKey}`,
      }).transparency;
      expect(config).toMatchObject({
        checkpointEveryEvents: 50,
        checkpointEverySeconds: 60,
        verificationKeysFile: resolve('old-keys.txt'),
      });
      expect(config.witnesses.map((w) => [w.url, w.key.name])).toEqual([
        ['https://w1.example/witness', 'witness.example/w1'],
        ['http://127.0.0.1:9000', 'witness.example/w1'],
      ]);
    });

    it.each([
      ['LEDGER_ORIGIN', 'ledger example', /LEDGER_ORIGIN must be a name without spaces/],
      ['LEDGER_ORIGIN', 'a+b', /LEDGER_ORIGIN must be a name without spaces or "\+"/],
      ['LEDGER_CHECKPOINT_EVENTS', '0', /LEDGER_CHECKPOINT_EVENTS must be an integer from 1/],
      ['LEDGER_CHECKPOINT_SECONDS', 'soon', /LEDGER_CHECKPOINT_SECONDS must be an integer/],
      ['LEDGER_WITNESSES', 'https://w1.example', /is not "<http\(s\) URL> <verifier key>"/],
      ['LEDGER_WITNESSES', `ftp://w1 ${witnessKey}`, /is not "<http\(s\) URL> <verifier key>"/],
      [
        'LEDGER_WITNESSES',
        'https://w1 example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k',
        /not a cosignature\/v1 \(type 0x04\) key/,
      ],
      [
        'DATABASE_MIGRATION_URL',
        'postgres://owner@db/ledger',
        /applies to EVENT_STORE=postgres only/,
      ],
    ])('refuses %s=%s', (name, value, message) => {
      expect(() => loadConfig({ [name]: value })).toThrow(message);
    });

    it('takes a migration role for the PostgreSQL store', () => {
      expect(
        loadConfig({
          EVENT_STORE: 'postgres',
          DATABASE_URL: 'postgres://writer@db/ledger',
          DATABASE_MIGRATION_URL: 'postgres://owner@db/ledger',
        }).databaseMigrationUrl,
      ).toBe('postgres://owner@db/ledger');
    });
  });
});

describe('loadConfig: trust and exposure settings', () => {
  it('defaults to API keys only, public /metrics and /docs, no CORS, a 5-minute ingest skew', () => {
    expect(loadConfig({})).toMatchObject({
      oidc: null,
      ingestMaxFutureSkewSeconds: 300,
      rateLimits: { perPrincipal: 1200, perAddress: 2400 },
      trustProxy: false,
      corsOrigins: [],
      metricsAccess: 'public',
      docsAccess: 'public',
    });
  });

  it('reads single sign-on with its role mapping', () => {
    const config = loadConfig({
      OIDC_ISSUER: 'https://login.example.com/realms/ops',
      OIDC_AUDIENCE: 'change-ledger',
      OIDC_PRINCIPAL_CLAIM: 'preferred_username',
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      OIDC_ROLE_MAP: '{"ledger-approvers":["approver"],"cab":["approver","cab"]}',
      OIDC_CLOCK_TOLERANCE_SECONDS: '10',
      CORS_ORIGINS: 'https://ops.example.com, http://localhost:5173',
      TRUST_PROXY: '10.0.0.0/8,192.168.1.1',
      METRICS_ACCESS: 'key',
    });
    expect(config.oidc).toMatchObject({
      issuer: 'https://login.example.com/realms/ops',
      audience: 'change-ledger',
      jwksUri: null,
      principalClaim: 'preferred_username',
      rolesClaim: 'realm_access.roles',
      clockToleranceSeconds: 10,
    });
    expect([...(config.oidc?.roleMap ?? [])]).toEqual([
      ['ledger-approvers', ['approver']],
      ['cab', ['approver', 'cab']],
    ]);
    expect(config.corsOrigins).toEqual(['https://ops.example.com', 'http://localhost:5173']);
    expect(config.trustProxy).toBe('10.0.0.0/8,192.168.1.1');
    expect(config.metricsAccess).toBe('key');
  });

  it('names every problem of these settings', () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({
        OIDC_ISSUER: 'not a url',
        OIDC_ROLE_MAP: '{"x":["god"]}',
        OIDC_CLOCK_TOLERANCE_SECONDS: '-1',
        CORS_ORIGINS: '*',
        TRUST_PROXY: 'everyone',
        DOCS_ACCESS: 'maybe',
        INGEST_MAX_FUTURE_SKEW_SECONDS: '-5',
      });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    const starts = [
      'OIDC_ISSUER must be an http(s) URL',
      'OIDC_AUDIENCE is required with OIDC_ISSUER',
      'OIDC_ROLE_MAP: "x" must map to roles among',
      'OIDC_CLOCK_TOLERANCE_SECONDS',
      'CORS_ORIGINS: "*" is not an origin',
      'TRUST_PROXY',
      'DOCS_ACCESS must be one of public, key',
      'INGEST_MAX_FUTURE_SKEW_SECONDS',
    ];
    for (const start of starts) {
      expect({ start, found: problems.some((p) => p.startsWith(start)) }).toEqual({
        start,
        found: true,
      });
    }
    expect(() => loadConfig({ OIDC_AUDIENCE: 'x' })).toThrow(/set but OIDC_ISSUER is not/);
  });
});

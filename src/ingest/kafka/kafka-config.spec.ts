import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_ENVIRONMENT, parseKafkaConfig, type KafkaConfig } from './kafka-config';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function problemsOf(env: NodeJS.ProcessEnv, readFile?: (path: string) => string): string[] {
  const { problems } = parseKafkaConfig(env, readFile);
  if (problems.length === 0) throw new Error('expected problems');
  return problems;
}

/** The configuration of a valid environment (null when Kafka is off). */
function loadKafkaConfig(
  env: NodeJS.ProcessEnv,
  readFile?: (path: string) => string,
): KafkaConfig | null {
  const { config, problems } = parseKafkaConfig(env, readFile);
  expect(problems).toEqual([]);
  return config;
}

describe('parseKafkaConfig', () => {
  it('is null without KAFKA_BROKERS, whatever else is set: Kafka is optional', () => {
    expect(loadKafkaConfig({})).toBeNull();
    expect(loadKafkaConfig({ KAFKA_BROKERS: '  ', KAFKA_SSL: 'maybe' })).toBeNull();
  });

  it('defaults everything but the brokers', () => {
    expect(loadKafkaConfig({ KAFKA_BROKERS: 'localhost:9092' })).toEqual({
      brokers: ['localhost:9092'],
      clientId: 'change-ledger',
      groupId: 'change-ledger-ingest',
      ingestTopics: [
        { topic: 'change-ledger.ingest.cdevents', format: 'cdevents' },
        { topic: 'change-ledger.ingest.alertmanager', format: 'alertmanager' },
        { topic: 'change-ledger.ingest.github', format: 'github' },
        { topic: 'change-ledger.ingest.generic', format: 'generic' },
      ],
      dlqTopic: 'change-ledger.dlq',
      ledgerTopic: 'change-ledger.events',
      outbox: true,
      tls: null,
      sasl: null,
      ingestConcurrency: 3,
      ingestPrincipal: 'kafka-ingest',
      sessionTimeoutMs: 30_000,
    });
  });

  it('reads every variable', () => {
    const config = loadKafkaConfig(
      {
        KAFKA_BROKERS: 'b-1.example.com:9096, b-2.example.com:9096,[::1]:9092',
        KAFKA_CLIENT_ID: 'ledger-eu',
        KAFKA_GROUP_ID: 'ledger-eu-ingest',
        KAFKA_INGEST_TOPICS:
          'cicd.deployments=cdevents, monitoring.alerts = alertmanager,github.deployments=github,ops.events=generic',
        KAFKA_DLQ_TOPIC: 'ledger.dead',
        KAFKA_LEDGER_TOPIC: 'ledger.out',
        KAFKA_OUTBOX: 'off',
        KAFKA_INGEST_CONCURRENCY: '6',
        KAFKA_SESSION_TIMEOUT_MS: '10000',
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: '/etc/ca.pem',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'ledger',
        KAFKA_SASL_PASSWORD: ' s3cret ',
        KAFKA_INGEST_PRINCIPAL: 'CI-Events',
      },
      (path) => (path === '/etc/ca.pem' ? PEM : ''),
    );
    expect(config).toEqual({
      brokers: ['b-1.example.com:9096', 'b-2.example.com:9096', '[::1]:9092'],
      clientId: 'ledger-eu',
      groupId: 'ledger-eu-ingest',
      ingestTopics: [
        { topic: 'cicd.deployments', format: 'cdevents' },
        { topic: 'monitoring.alerts', format: 'alertmanager' },
        { topic: 'github.deployments', format: 'github' },
        { topic: 'ops.events', format: 'generic' },
      ],
      dlqTopic: 'ledger.dead',
      ledgerTopic: 'ledger.out',
      outbox: false,
      tls: { ca: PEM },
      sasl: { mechanism: 'scram-sha-512', username: 'ledger', password: ' s3cret ' },
      ingestConcurrency: 6,
      ingestPrincipal: 'ci-events',
      sessionTimeoutMs: 10_000,
    });
  });

  it('turns TLS on when a CA file is given, and trusts the system CAs with KAFKA_SSL alone', () => {
    const withCa = loadKafkaConfig(
      { KAFKA_BROKERS: 'k:9093', KAFKA_SSL_CA_FILE: '/ca' },
      () => PEM,
    );
    expect(withCa?.tls).toEqual({ ca: PEM });
    expect(loadKafkaConfig({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL: 'yes' })?.tls).toEqual({
      ca: null,
    });
    expect(loadKafkaConfig({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL: 'false' })?.tls).toBeNull();
  });

  it('lists every problem at once, each naming its variable', () => {
    const problems = problemsOf(
      {
        KAFKA_BROKERS: 'good:9092,no-port,bad:99999',
        KAFKA_INGEST_TOPICS: 'a=cdevents,a=generic,b=protobuf,c,bad topic=generic,d=x=y',
        KAFKA_DLQ_TOPIC: 'same',
        KAFKA_LEDGER_TOPIC: 'same',
        KAFKA_OUTBOX: 'sometimes',
        KAFKA_INGEST_CONCURRENCY: '0',
        KAFKA_SESSION_TIMEOUT_MS: '1000',
        KAFKA_SSL: 'false',
        KAFKA_SSL_CA_FILE: '/missing.pem',
        KAFKA_SASL_MECHANISM: 'gssapi',
      },
      () => {
        throw new Error('ENOENT: no such file');
      },
    );
    expect(problems).toEqual([
      'KAFKA_BROKERS: "no-port" is not host:port',
      'KAFKA_BROKERS: "bad:99999" is not host:port',
      'KAFKA_DLQ_TOPIC and KAFKA_LEDGER_TOPIC must be different topics',
      'KAFKA_INGEST_TOPICS: a is listed twice',
      'KAFKA_INGEST_TOPICS: b=protobuf: format must be one of cdevents, alertmanager, github, generic',
      'KAFKA_INGEST_TOPICS: "c" is not topic=format',
      `KAFKA_INGEST_TOPICS: "bad topic" is not a valid topic name (letters, digits, '.', '_', '-'; at most 249)`,
      'KAFKA_INGEST_TOPICS: "d=x=y" is not topic=format',
      'KAFKA_INGEST_CONCURRENCY must be an integer from 1 to 64, got "0"',
      'KAFKA_SESSION_TIMEOUT_MS must be an integer from 6000 to 300000, got "1000"',
      'KAFKA_SSL_CA_FILE is set but KAFKA_SSL=false',
      'KAFKA_SSL_CA_FILE: cannot read /missing.pem (ENOENT: no such file)',
      'KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512, got "gssapi"',
      'KAFKA_OUTBOX must be true or false, got "sometimes"',
    ]);
  });

  it('refuses to read back its own dead-letter or ledger topic', () => {
    expect(
      problemsOf({
        KAFKA_BROKERS: 'k:9092',
        KAFKA_INGEST_TOPICS: 'change-ledger.dlq=generic,change-ledger.events=cdevents',
      }),
    ).toEqual([
      'KAFKA_INGEST_TOPICS: change-ledger.dlq is also the dead-letter topic',
      'KAFKA_INGEST_TOPICS: change-ledger.events is also the ledger topic',
    ]);
  });

  it('wants SASL complete: a mechanism with both credentials, credentials only with one', () => {
    expect(problemsOf({ KAFKA_BROKERS: 'k:9092', KAFKA_SASL_MECHANISM: 'plain' })).toEqual([
      'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM',
    ]);
    expect(problemsOf({ KAFKA_BROKERS: 'k:9092', KAFKA_SASL_USERNAME: 'u' })).toEqual([
      'KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD are set but KAFKA_SASL_MECHANISM is not',
    ]);
  });

  it('refuses a CA file without a PEM certificate', () => {
    expect(
      problemsOf({ KAFKA_BROKERS: 'k:9092', KAFKA_SSL_CA_FILE: '/key.der' }, () => 'binary'),
    ).toEqual(['KAFKA_SSL_CA_FILE: /key.der holds no PEM certificate']);
  });
});

describe('parseKafkaConfig', () => {
  it('returns the problems instead of throwing, for loadConfig to report with its own', () => {
    expect(parseKafkaConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_OUTBOX: 'perhaps' })).toEqual({
      config: null,
      problems: ['KAFKA_OUTBOX must be true or false, got "perhaps"'],
    });
    expect(parseKafkaConfig({})).toEqual({ config: null, problems: [] });
  });
});

describe('KAFKA_ENVIRONMENT', () => {
  it('is the table docs/ingest.md documents, row for row', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'ingest.md'), 'utf8');
    const markdown = readme.slice(
      readme.indexOf('### Kafka configuration'),
      readme.indexOf('### The local Kafka broker'),
    );
    const rows = markdown
      .split('\n')
      .filter((line) => line.startsWith('| `KAFKA_'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(rows).toEqual(
      KAFKA_ENVIRONMENT.map(({ name, default: fallback, meaning }) => [
        `\`${name}\``,
        fallback,
        meaning,
      ]),
    );
  });
});

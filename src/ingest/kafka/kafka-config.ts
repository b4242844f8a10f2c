import { readFileSync } from 'node:fs';
import { normalizePrincipalId, principalIdProblem } from '../../auth/principal-id';
import { INGEST_FORMATS, isIngestFormat, type IngestFormat } from '../formats';

/** A topic the ingest consumer reads and the one format its messages are in. */
export interface IngestTopic {
  readonly topic: string;
  readonly format: IngestFormat;
}

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** One member per mechanism, the shape kafkajs expects. */
export type KafkaSasl = {
  [M in SaslMechanism]: {
    readonly mechanism: M;
    readonly username: string;
    readonly password: string;
  };
}[SaslMechanism];

/** Kafka settings, validated once at start-up; null from loadKafkaConfig when Kafka is off. */
export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly ingestTopics: readonly IngestTopic[];
  readonly dlqTopic: string;
  /** Where the outbox publishes committed ledger events. */
  readonly ledgerTopic: string;
  readonly outbox: boolean;
  /** Null: plaintext. `ca` null: TLS trusting the system's certificate authorities. */
  readonly tls: { readonly ca: string | null } | null;
  readonly sasl: KafkaSasl | null;
  /** Partitions one instance processes at the same time. */
  readonly ingestConcurrency: number;
  /** Who the ingest topics' messages are recorded as coming from (the events' actor). */
  readonly ingestPrincipal: string;
  /** How long the group waits for a silent member before moving its partitions. */
  readonly sessionTimeoutMs: number;
}

const DEFAULT_INGEST_TOPICS = INGEST_FORMATS.map(
  (format) => `change-ledger.ingest.${format}=${format}`,
).join(',');

/** Every variable parseKafkaConfig reads; docs/ingest.md renders this table (a spec keeps them equal). */
export const KAFKA_ENVIRONMENT: readonly {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
}[] = [
  {
    name: 'KAFKA_BROKERS',
    default: '—',
    meaning: 'bootstrap brokers, `host:port` comma-separated; unset: no Kafka at all',
  },
  { name: 'KAFKA_CLIENT_ID', default: '`change-ledger`', meaning: 'client id seen by the brokers' },
  {
    name: 'KAFKA_GROUP_ID',
    default: '`change-ledger-ingest`',
    meaning: 'consumer group of the ingest consumers (every instance joins it)',
  },
  {
    name: 'KAFKA_INGEST_TOPICS',
    default: 'one topic per format, see below',
    meaning: '`topic=format` pairs, comma-separated; formats: ' + INGEST_FORMATS.join(', '),
  },
  {
    name: 'KAFKA_DLQ_TOPIC',
    default: '`change-ledger.dlq`',
    meaning: 'dead-letter topic for messages that cannot be recorded',
  },
  {
    name: 'KAFKA_LEDGER_TOPIC',
    default: '`change-ledger.events`',
    meaning: 'topic the outbox publishes every committed ledger event to',
  },
  {
    name: 'KAFKA_OUTBOX',
    default: '`true`',
    meaning: 'publish the ledger to `KAFKA_LEDGER_TOPIC` (`true`/`false`, `on`/`off`)',
  },
  {
    name: 'KAFKA_INGEST_CONCURRENCY',
    default: '`3`',
    meaning: 'partitions one instance processes at the same time (1 to 64)',
  },
  {
    name: 'KAFKA_INGEST_PRINCIPAL',
    default: '`kafka-ingest`',
    meaning: 'principal recorded as the actor of what the ingest topics report',
  },
  {
    name: 'KAFKA_SESSION_TIMEOUT_MS',
    default: '`30000`',
    meaning: 'group session: how long a silent member keeps its partitions (6000 to 300000)',
  },
  {
    name: 'KAFKA_SSL',
    default: '`false`',
    meaning: 'TLS to the brokers; `true` when `KAFKA_SSL_CA_FILE` is set',
  },
  {
    name: 'KAFKA_SSL_CA_FILE',
    default: 'system CAs',
    meaning: 'PEM file of the certificate authorities to trust for the brokers',
  },
  {
    name: 'KAFKA_SASL_MECHANISM',
    default: 'none',
    meaning: 'SASL authentication: ' + SASL_MECHANISMS.join(', '),
  },
  {
    name: 'KAFKA_SASL_USERNAME',
    default: '—',
    meaning: 'SASL user; required with `KAFKA_SASL_MECHANISM`',
  },
  {
    name: 'KAFKA_SASL_PASSWORD',
    default: '—',
    meaning: 'SASL password; required with `KAFKA_SASL_MECHANISM`',
  },
];

// Kafka's own rule for topic names (legal characters, at most 249 of them).
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const BROKER = /^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+):(\d{1,5})$/;
const TRUE = ['true', 'on', '1', 'yes'];
const FALSE = ['false', 'off', '0', 'no'];

type ReadFile = (path: string) => string;
const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/**
 * Reads the KAFKA_* variables; the application's loadConfig reports the problems together
 * with its own. `config` is null when KAFKA_BROKERS is unset (Kafka is optional) or when
 * there are problems.
 */
export function parseKafkaConfig(
  env: NodeJS.ProcessEnv,
  readFile: ReadFile = readUtf8,
): { config: KafkaConfig | null; problems: string[] } {
  const text = (name: string): string | null => {
    const raw = env[name]?.trim();
    return raw ? raw : null;
  };
  const brokersRaw = text('KAFKA_BROKERS');
  if (brokersRaw === null) return { config: null, problems: [] };

  const problems: string[] = [];
  const flag = (name: string): boolean | null => {
    const raw = text(name)?.toLowerCase();
    if (raw === undefined) return null;
    if (TRUE.includes(raw)) return true;
    if (FALSE.includes(raw)) return false;
    problems.push(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
    return null;
  };
  const topic = (name: string, fallback: string): string => {
    const value = text(name) ?? fallback;
    if (!TOPIC_NAME.test(value)) problems.push(`${name}: ${topicProblem(value)}`);
    return value;
  };

  const brokers = brokersRaw.split(',').map((broker) => broker.trim());
  for (const broker of brokers) {
    const port = BROKER.exec(broker)?.[1];
    if (port === undefined || Number(port) < 1 || Number(port) > 65535) {
      problems.push(`KAFKA_BROKERS: ${JSON.stringify(broker)} is not host:port`);
    }
  }

  const dlqTopic = topic('KAFKA_DLQ_TOPIC', 'change-ledger.dlq');
  const ledgerTopic = topic('KAFKA_LEDGER_TOPIC', 'change-ledger.events');
  if (dlqTopic === ledgerTopic) {
    problems.push('KAFKA_DLQ_TOPIC and KAFKA_LEDGER_TOPIC must be different topics');
  }
  const ingestTopics = parseIngestTopics(
    text('KAFKA_INGEST_TOPICS') ?? DEFAULT_INGEST_TOPICS,
    problems,
  );
  for (const { topic: name } of ingestTopics) {
    // Reading what we write ourselves would loop dead letters or ledger events back in.
    if (name === dlqTopic || name === ledgerTopic) {
      problems.push(
        `KAFKA_INGEST_TOPICS: ${name} is also the ${name === dlqTopic ? 'dead-letter' : 'ledger'} topic`,
      );
    }
  }

  const concurrencyRaw = text('KAFKA_INGEST_CONCURRENCY');
  const ingestConcurrency = concurrencyRaw === null ? 3 : Number(concurrencyRaw);
  if (!Number.isInteger(ingestConcurrency) || ingestConcurrency < 1 || ingestConcurrency > 64) {
    problems.push(
      `KAFKA_INGEST_CONCURRENCY must be an integer from 1 to 64, got ${JSON.stringify(concurrencyRaw)}`,
    );
  }

  const sessionRaw = text('KAFKA_SESSION_TIMEOUT_MS');
  const sessionTimeoutMs = sessionRaw === null ? 30_000 : Number(sessionRaw);
  // Brokers refuse sessions below group.min.session.timeout.ms, 6 s by default.
  if (
    !Number.isInteger(sessionTimeoutMs) ||
    sessionTimeoutMs < 6000 ||
    sessionTimeoutMs > 300_000
  ) {
    problems.push(
      `KAFKA_SESSION_TIMEOUT_MS must be an integer from 6000 to 300000, got ${JSON.stringify(sessionRaw)}`,
    );
  }

  const caFile = text('KAFKA_SSL_CA_FILE');
  const ssl = flag('KAFKA_SSL');
  let ca: string | null = null;
  if (caFile !== null) {
    if (ssl === false) problems.push('KAFKA_SSL_CA_FILE is set but KAFKA_SSL=false');
    try {
      ca = readFile(caFile);
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
        problems.push(`KAFKA_SSL_CA_FILE: ${caFile} holds no PEM certificate`);
      }
    } catch (error) {
      problems.push(`KAFKA_SSL_CA_FILE: cannot read ${caFile} (${(error as Error).message})`);
    }
  }
  const tls = ssl === true || (ssl === null && caFile !== null) ? { ca } : null;

  const ingestPrincipal = text('KAFKA_INGEST_PRINCIPAL') ?? 'kafka-ingest';
  const principalProblem = principalIdProblem(normalizePrincipalId(ingestPrincipal));
  if (principalProblem) problems.push(`KAFKA_INGEST_PRINCIPAL ${principalProblem}`);

  const sasl = parseSasl(env, text, problems);
  const outbox = flag('KAFKA_OUTBOX') ?? true;

  if (problems.length > 0) return { config: null, problems };
  const config: KafkaConfig = {
    brokers,
    clientId: text('KAFKA_CLIENT_ID') ?? 'change-ledger',
    groupId: text('KAFKA_GROUP_ID') ?? 'change-ledger-ingest',
    ingestTopics,
    dlqTopic,
    ledgerTopic,
    outbox,
    tls,
    sasl,
    ingestConcurrency,
    ingestPrincipal: normalizePrincipalId(ingestPrincipal),
    sessionTimeoutMs,
  };
  return { config, problems };
}

function parseIngestTopics(raw: string, problems: string[]): IngestTopic[] {
  const topics: IngestTopic[] = [];
  for (const entry of raw.split(',').map((part) => part.trim())) {
    const [topic, format, ...rest] = entry.split('=').map((part) => part.trim());
    if (format === undefined || rest.length > 0 || topic === '') {
      problems.push(`KAFKA_INGEST_TOPICS: ${JSON.stringify(entry)} is not topic=format`);
      continue;
    }
    if (!TOPIC_NAME.test(topic)) {
      problems.push(`KAFKA_INGEST_TOPICS: ${topicProblem(topic)}`);
    } else if (!isIngestFormat(format)) {
      problems.push(
        `KAFKA_INGEST_TOPICS: ${topic}=${format}: format must be one of ${INGEST_FORMATS.join(', ')}`,
      );
    } else if (topics.some((known) => known.topic === topic)) {
      problems.push(`KAFKA_INGEST_TOPICS: ${topic} is listed twice`);
    } else {
      topics.push({ topic, format });
    }
  }
  return topics;
}

function parseSasl(
  env: NodeJS.ProcessEnv,
  text: (name: string) => string | null,
  problems: string[],
): KafkaSasl | null {
  const mechanism = text('KAFKA_SASL_MECHANISM')?.toLowerCase() ?? null;
  const username = text('KAFKA_SASL_USERNAME');
  // Not trimmed: a password may legitimately start or end with a space.
  const password = env.KAFKA_SASL_PASSWORD ? env.KAFKA_SASL_PASSWORD : null;
  if (mechanism === null) {
    if (username !== null || password !== null) {
      problems.push(
        'KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD are set but KAFKA_SASL_MECHANISM is not',
      );
    }
    return null;
  }
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    problems.push(
      `KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}, got ${JSON.stringify(mechanism)}`,
    );
    return null;
  }
  if (username === null) problems.push(`KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM`);
  if (password === null) problems.push(`KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM`);
  if (username === null || password === null) return null;
  return { mechanism: mechanism as SaslMechanism, username, password };
}

function topicProblem(name: string): string {
  return `${JSON.stringify(name)} is not a valid topic name (letters, digits, '.', '_', '-'; at most 249)`;
}

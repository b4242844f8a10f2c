import { resolve } from 'node:path';
import { parseOidcConfig } from './auth/oidc/oidc-config';
import type { Backoff } from './common/backoff';
import {
  ConfigError,
  type AppConfig,
  type EventStoreKind,
  type OperationalAccess,
} from './config/config';
import { MAX_WINDOW_HOURS } from './incidents/domain/look-back-window';
import { parseKafkaConfig } from './ingest/kafka/kafka-config';
import { parseTransparencyConfig } from './ledger/checkpointer/transparency-config';

/**
 * Reads and validates the environment into the application's settings, asking each
 * capability to parse its own section; every problem is reported at once (ConfigError).
 */
const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9._-]{0,49}$/;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  };
  const text = (name: string): string | null => {
    const raw = env[name]?.trim();
    return raw ? raw : null;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = text(name);
    if (raw === null) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return raw as T;
  };

  const environmentName = (name: string, fallback: string): string => {
    const raw = text(name);
    if (raw === null) return fallback;
    if (!ENVIRONMENT_NAME.test(raw)) {
      problems.push(
        `${name} must be an environment name like "production", got ${JSON.stringify(raw)}`,
      );
      return fallback;
    }
    return raw;
  };

  const eventStore = oneOf<EventStoreKind>(
    'EVENT_STORE',
    ['embedded', 'postgres', 'eventstoredb'],
    'embedded',
  );
  const databaseUrl = text('DATABASE_URL');
  const eventStoreConnectionString = text('EVENTSTORE_CONNECTION_STRING');
  if (eventStore === 'postgres' && databaseUrl === null) {
    problems.push('DATABASE_URL is required when EVENT_STORE=postgres');
  }
  if (eventStore === 'eventstoredb' && eventStoreConnectionString === null) {
    problems.push('EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb');
  }
  const databaseMigrationUrl = text('DATABASE_MIGRATION_URL');
  if (databaseMigrationUrl !== null && eventStore !== 'postgres') {
    problems.push('DATABASE_MIGRATION_URL applies to EVENT_STORE=postgres only');
  }
  const production = env.NODE_ENV === 'production';
  const apiKeysFile = text('API_KEYS_FILE');
  if (production && apiKeysFile === null) {
    problems.push('API_KEYS_FILE is required when NODE_ENV=production (the demo keys are public)');
  }

  const policyFile = text('POLICY_FILE');

  const kafka = parseKafkaConfig(env);
  problems.push(...kafka.problems);
  const oidc = parseOidcConfig(env);
  problems.push(...oidc.problems);

  const retryBackoff: Backoff = {
    initialMs: integer('RETRY_BACKOFF_INITIAL_MS', 250, 1, 60_000),
    maxMs: integer('RETRY_BACKOFF_MAX_MS', 5000, 1, 300_000),
  };
  if (retryBackoff.maxMs < retryBackoff.initialMs) {
    problems.push('RETRY_BACKOFF_MAX_MS must not be less than RETRY_BACKOFF_INITIAL_MS');
  }
  const transparency = parseTransparencyConfig(env, production, integer);
  problems.push(...transparency.problems);

  const config: AppConfig = {
    port: integer('PORT', 3000, 1, 65535),
    host: text('HOST') ?? '127.0.0.1',
    eventStore,
    dataDir: resolve(text('DATA_DIR') ?? './data'),
    databaseUrl,
    databaseMigrationUrl,
    eventStoreConnectionString,
    apiKeysFile: apiKeysFile === null ? null : resolve(apiKeysFile),
    production,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    feedPollMs: integer('FEED_POLL_MS', 250, 10, 60_000),
    databaseConnectTimeoutMs: integer('DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 120_000),
    retryBackoff,
    githubWebhookSecret: text('GITHUB_WEBHOOK_SECRET'),
    whatChangedWindowHours: integer('WHAT_CHANGED_WINDOW_HOURS', 4, 1, MAX_WINDOW_HOURS),
    deliveryEnvironment: environmentName('DELIVERY_ENVIRONMENT', 'production'),
    kafka: kafka.config,
    policyFile: policyFile === null ? null : resolve(policyFile),
    approvalSlaCheckMs: integer('APPROVAL_SLA_CHECK_MS', 60_000, 1000, 3_600_000),
    oidc: oidc.config,
    ingestMaxFutureSkewSeconds: integer('INGEST_MAX_FUTURE_SKEW_SECONDS', 300, 0, 31_536_000),
    rateLimits: {
      perPrincipal: integer('RATE_LIMIT_PER_PRINCIPAL', 1200, 0, 1_000_000),
      perAddress: integer('RATE_LIMIT_PER_ADDRESS', 2400, 0, 1_000_000),
    },
    trustProxy: parseTrustProxy(text('TRUST_PROXY'), problems),
    corsOrigins: parseCorsOrigins(text('CORS_ORIGINS'), problems),
    metricsAccess: oneOf<OperationalAccess>('METRICS_ACCESS', ['public', 'key'], 'public'),
    docsAccess: oneOf<OperationalAccess>('DOCS_ACCESS', ['public', 'key'], 'public'),
    transparency: transparency.config,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** A hop count, or the addresses and CIDR ranges of the proxies in front of the service. */
function parseTrustProxy(raw: string | null, problems: string[]): false | number | string {
  if (raw === null) return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.every((part) => /^[0-9a-fA-F:.]+(?:\/\d{1,3})?$/.test(part))) return parts.join(',');
  problems.push(
    `TRUST_PROXY must be a hop count or comma-separated proxy addresses/CIDRs, got ${JSON.stringify(raw)}`,
  );
  return false;
}

/** Exact origins (scheme, host, port): a wildcard would let any page use a stolen key. */
function parseCorsOrigins(raw: string | null, problems: string[]): string[] {
  if (raw === null) return [];
  return raw.split(',').flatMap((part) => {
    const origin = part.trim();
    try {
      const url = new URL(origin);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin) {
        return [origin];
      }
    } catch {
      // reported below
    }
    problems.push(
      `CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin like https://ops.example.com`,
    );
    return [];
  });
}

import type { OidcConfig } from '../auth/oidc/oidc-config';
import type { Backoff } from '../common/backoff';
import type { KafkaConfig } from '../ingest/kafka/kafka-config';
import type { TransparencyConfig } from '../ledger/checkpointer/transparency-config';

export type EventStoreKind = 'embedded' | 'postgres' | 'eventstoredb';

/** Who may read an operational route: anyone, or any caller with a valid key or token. */
export type OperationalAccess = 'public' | 'key';

/** Requests per minute; 0 turns that limit off. */
export interface RateLimits {
  readonly perPrincipal: number;
  readonly perAddress: number;
}

/** Everything the service reads from its environment, validated once at start-up. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly eventStore: EventStoreKind;
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  /**
   * PostgreSQL store: the role that owns the ledger's events table and applies its migrations,
   * so the role of DATABASE_URL can only insert and read events. Null: DATABASE_URL does both.
   */
  readonly databaseMigrationUrl: string | null;
  readonly eventStoreConnectionString: string | null;
  /** Null: the demo keys in config/demo-api-keys.json (refused when NODE_ENV=production). */
  readonly apiKeysFile: string | null;
  readonly production: boolean;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  readonly feedPollMs: number;
  /** How long opening a PostgreSQL connection may take before the database counts as down. */
  readonly databaseConnectTimeoutMs: number;
  /** Waits between retries of whatever failed because a dependency was down. */
  readonly retryBackoff: Backoff;
  /** Shared secret GitHub signs webhook bodies with; null refuses GitHub webhooks. */
  readonly githubWebhookSecret: string | null;
  /** Look-back of what-changed when none is asked for, and of the suspects stored per alert. */
  readonly whatChangedWindowHours: number;
  /** The environment whose deployments the delivery (DORA) metrics count. */
  readonly deliveryEnvironment: string;
  /** Null when KAFKA_BROKERS is unset: the service then ingests over HTTP only. */
  readonly kafka: KafkaConfig | null;
  /** The policy file; null: config/policy.yaml, the documented default. */
  readonly policyFile: string | null;
  /** How often overdue approvals are looked for (and recorded). */
  readonly approvalSlaCheckMs: number;
  /** Null: API keys only. */
  readonly oidc: OidcConfig | null;
  /** How far in the future an ingested occurrence may claim to be, against our clock. */
  readonly ingestMaxFutureSkewSeconds: number;
  readonly rateLimits: RateLimits;
  /** Fastify's trustProxy: which proxies' X-Forwarded-For names the client; false: none. */
  readonly trustProxy: false | number | string;
  /** Origins allowed to call from a browser; empty: CORS off (no CORS headers at all). */
  readonly corsOrigins: readonly string[];
  readonly metricsAccess: OperationalAccess;
  readonly docsAccess: OperationalAccess;
  /** Signed Merkle checkpoints: origin, keys, how often, witnesses. */
  readonly transparency: TransparencyConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export const APP_CONFIG = Symbol('AppConfig');

import type { AppConfig } from '../config/config';
import type { NamedPrincipal } from './principal-id';

/** The actor of what a GitHub webhook reports: the holder of GITHUB_WEBHOOK_SECRET. */
export const GITHUB_WEBHOOK_PRINCIPAL = 'github-webhook';

/**
 * Principals the service records as actors without a key of their own; no key or token may
 * name a principal that looks like one of them.
 */
export function servicePrincipals(config: AppConfig): NamedPrincipal[] {
  return [
    { id: GITHUB_WEBHOOK_PRINCIPAL, where: 'the GitHub webhook principal' },
    ...(config.kafka
      ? [{ id: config.kafka.ingestPrincipal, where: 'KAFKA_INGEST_PRINCIPAL' }]
      : []),
  ];
}

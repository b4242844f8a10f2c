import type { Normalizer } from '../observation';
import { normalizeAlertmanager } from './alertmanager';
import { normalizeCdevents } from './cdevents';
import { normalizeGeneric } from './generic';
import { normalizeGithubDeploymentStatus } from './github-deployment-status';

export { GENERIC_EVENT_SCHEMA } from './generic';

export const INGEST_FORMATS = ['cdevents', 'alertmanager', 'github', 'generic'] as const;

/** The format a Kafka topic or webhook route is configured to carry. */
export type IngestFormat = (typeof INGEST_FORMATS)[number];

export const NORMALIZERS: Readonly<Record<IngestFormat, Normalizer>> = {
  cdevents: normalizeCdevents,
  alertmanager: normalizeAlertmanager,
  github: normalizeGithubDeploymentStatus,
  generic: normalizeGeneric,
};

export function isIngestFormat(format: string): format is IngestFormat {
  return (INGEST_FORMATS as readonly string[]).includes(format);
}

/**
 * The normalizer of a format named in configuration or in a webhook path; undefined for an
 * unknown name, which the caller refuses (at start-up, or with a 404).
 */
export function normalizerFor(format: string): Normalizer | undefined {
  return isIngestFormat(format) ? NORMALIZERS[format] : undefined;
}

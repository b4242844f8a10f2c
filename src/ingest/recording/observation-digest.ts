import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Observation } from '../observation';

/**
 * SHA-256 of an observation in canonical JSON (RFC 8785): kept on the event that marks it
 * recorded, so a later message under the same id that reports anything else is recognised as
 * a conflicting redelivery rather than taken for a repeat.
 */
export function observationDigest(observation: Observation): string {
  return createHash('sha256')
    .update(canonicalize(observation) as string)
    .digest('hex');
}

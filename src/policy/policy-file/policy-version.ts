import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Policy } from '../policy';

/**
 * A policy's version: the SHA-256 of its canonical JSON (RFC 8785), defaults filled in. Two
 * files that differ only in comments, layout or key order are the same policy; any change to
 * a rule is a new version.
 */
export function policyVersion(document: Policy): string {
  const canonical = canonicalize(document);
  if (canonical === undefined) throw new Error('a policy document always has a canonical form');
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

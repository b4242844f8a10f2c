import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * GitHub signs each delivery: X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(secret, raw
 * body) in hex. Compared in constant time so the signature cannot be guessed byte by byte.
 */
export function isValidGithubSignature(secret: string, body: Buffer, header: string | undefined) {
  if (header === undefined || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

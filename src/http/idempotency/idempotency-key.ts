import { InvalidRequest } from '../problem';

export const IDEMPOTENCY_KEY = 'Idempotency-Key';

/** What request ids and idempotency keys may look like. */
export const REQUEST_TOKEN = /^[\w.:-]{1,128}$/;

/** The request's Idempotency-Key, refused unless it is a sane token. */
export function idempotencyKeyOf(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !REQUEST_TOKEN.test(key)) {
    throw new InvalidRequest([
      {
        field: IDEMPOTENCY_KEY,
        reason: 'must be 1 to 128 letters, digits, ".", ":", "_" or "-"',
      },
    ]);
  }
  return key;
}

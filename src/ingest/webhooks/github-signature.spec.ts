import { createHmac } from 'node:crypto';
import { isValidGithubSignature } from './github-signature';

describe('GitHub webhook signature', () => {
  const body = Buffer.from('{"action":"created"}');
  const sign = (secret: string, data: Buffer) =>
    `sha256=${createHmac('sha256', secret).update(data).digest('hex')}`;

  it('accepts the HMAC of the raw body with the shared secret', () => {
    expect(isValidGithubSignature('s3cret', body, sign('s3cret', body))).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another secret', sign('other', body)],
    ['another body', sign('s3cret', Buffer.from('{"action":"deleted"}'))],
    ['a sha1 signature', 'sha1=0123'],
    ['a truncated signature', sign('s3cret', body).slice(0, 20)],
    ['garbage', 'sha256=zz'],
  ])('refuses %s', (_, header) => {
    expect(isValidGithubSignature('s3cret', body, header)).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeyRegistry, ApiKeysFileError, parseApiKeys } from './api-key-registry';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

describe('API keys', () => {
  const entries = parseApiKeys(
    JSON.stringify([
      { principal: 'alice', roles: ['requester'], keySha256: sha256('k1') },
      { principal: 'bob', roles: ['approver', 'cab'], keySha256: sha256('k2').toUpperCase() },
    ]),
    'keys.json',
  );
  const registry = new ApiKeyRegistry(entries);

  it('authenticates a key by its hash and names the principal and roles', () => {
    expect(registry.authenticate('k1')).toEqual({ id: 'alice', roles: ['requester'] });
    expect(registry.authenticate('k2')).toEqual({ id: 'bob', roles: ['approver', 'cab'] });
    expect(registry.authenticate('k3')).toBeNull();
  });

  it.each([
    ['not json', '{', /not valid JSON/],
    ['not an array', '{}', /must be a JSON array/],
    [
      'no principal',
      JSON.stringify([{ roles: ['admin'], keySha256: sha256('x') }]),
      /\[0\]\.principal/,
    ],
    [
      'no roles',
      JSON.stringify([{ principal: 'p', roles: [], keySha256: sha256('x') }]),
      /\[0\]\.roles/,
    ],
    [
      'an unknown role',
      JSON.stringify([{ principal: 'p', roles: ['god'], keySha256: sha256('x') }]),
      /unknown role "god"/,
    ],
    [
      'a clear-text key',
      JSON.stringify([{ principal: 'p', roles: ['admin'], keySha256: 'x' }]),
      /64 hex/,
    ],
    [
      'the same key twice',
      JSON.stringify([
        { principal: 'p', roles: ['admin'], keySha256: sha256('x') },
        { principal: 'q', roles: ['admin'], keySha256: sha256('x') },
      ]),
      /\[1\]: the same key is listed twice/,
    ],
    [
      'one person under two spellings',
      JSON.stringify([
        { principal: 'alice', roles: ['requester'], keySha256: sha256('x') },
        { principal: 'Alice ', roles: ['approver'], keySha256: sha256('y') },
      ]),
      /\[1\]\.principal: principal "Alice " is the same after normalization as "alice"/,
    ],
    [
      'a look-alike of another principal',
      JSON.stringify([
        { principal: 'alice', roles: ['requester'], keySha256: sha256('x') },
        { principal: '\u0430lice', roles: ['approver'], keySha256: sha256('y') },
      ]),
      /is confusable with "alice"/,
    ],
    [
      'a control character in a principal',
      JSON.stringify([{ principal: 'a\u0000', roles: ['admin'], keySha256: sha256('x') }]),
      /\[0\]\.principal must not contain control characters/,
    ],
  ])('refuses a file with %s', (_, content, message) => {
    expect(() => parseApiKeys(content, 'keys.json')).toThrow(ApiKeysFileError);
    expect(() => parseApiKeys(content, 'keys.json')).toThrow(message);
  });

  it('keeps one spelling of each principal, and two keys of one principal as one', () => {
    const rotated = new ApiKeyRegistry(
      parseApiKeys(
        JSON.stringify([
          { principal: 'Deploy-Bot', roles: ['deployer'], keySha256: sha256('old') },
          { principal: 'Deploy-Bot', roles: ['deployer'], keySha256: sha256('new') },
        ]),
        'keys.json',
      ),
    );
    expect(rotated.authenticate('old')?.id).toBe('deploy-bot');
    expect(rotated.authenticate('new')?.id).toBe('deploy-bot');
  });

  it('refuses a key principal that looks like a principal the service acts as', () => {
    const content = JSON.stringify([
      { principal: 'GitHub-Webhook', roles: ['admin'], keySha256: sha256('x') },
    ]);
    expect(() =>
      parseApiKeys(content, 'keys.json', [{ id: 'github-webhook', where: 'the webhook' }]),
    ).toThrow(/same after normalization as "github-webhook"/);
  });

  it('ships demo keys that match the README and docs/api.md', () => {
    const file = join(__dirname, '..', '..', 'config', 'demo-api-keys.json');
    const demo = ApiKeyRegistry.fromFile(file);
    expect(demo.authenticate('alice-demo-key')).toEqual({ id: 'alice', roles: ['requester'] });
    expect(demo.authenticate('carol-demo-key')?.roles).toEqual(['approver', 'cab']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(6);
  });
});

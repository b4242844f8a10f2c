import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { changeRequest as changeRequestFor } from './support/change-requests';
import { createPGliteDirectory, type TempDirectory } from './support/postgres';
import { KEYS, RunningApp } from './support/running-app';

const AUDIENCE = 'urn:change-ledger';

/** Clients of the provider: a pipeline, Alice's own login, a look-alike of her, and more. */
const CLIENTS = [
  { id: 'ci-pipeline', secret: 'ci-secret', groups: ['ledger-deployers'] },
  { id: 'Release-Manager', secret: 'rm-secret', groups: ['ledger-requesters', 'staff'] },
  { id: 'Alice', secret: 'alice-secret', groups: ['ledger-approvers'] },
  // Looks like alice (TR39 takes "1" for "l"), is someone else.
  { id: 'a1ice', secret: 'mallory-secret', groups: ['ledger-approvers'] },
  { id: 'visitor', secret: 'visitor-secret', groups: ['staff'] },
  { id: 'short-lived', secret: 'short-secret', groups: ['ledger-deployers'], ttl: 1 },
];

const ROLE_MAP = {
  'ledger-deployers': ['deployer'],
  'ledger-requesters': ['requester'],
  'ledger-approvers': ['approver'],
};

/** Starts test/support/oidc-provider.mjs and resolves with its issuer once it answers. */
async function startProvider(): Promise<{ issuer: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [join(__dirname, 'support', 'oidc-provider.mjs')], {
    env: {
      ...process.env,
      OIDC_TEST_CLIENTS: JSON.stringify(CLIENTS),
      OIDC_TEST_AUDIENCE: AUDIENCE,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('ready ')) return { issuer: line.slice('ready '.length), process: child };
  }
  throw new Error('the OpenID provider exited before it was ready');
}

/** An access token from the provider, by the client-credentials grant. */
async function tokenFor(issuer: string, clientId: string): Promise<string> {
  const client = CLIENTS.find((c) => c.id === clientId);
  if (!client) throw new Error(`no client ${clientId}`);
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: client.id,
      client_secret: client.secret,
      grant_type: 'client_credentials',
      resource: AUDIENCE,
      scope: 'ledger',
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${clientId}: ${JSON.stringify(body)}`);
  return body.access_token;
}

const changeRequest = () =>
  changeRequestFor({ title: 'Rotate the payments TLS certificate', services: ['payments'] });

describe('single sign-on with a real OpenID provider (oidc-provider)', () => {
  let provider: { issuer: string; process: ChildProcess };
  let dir: TempDirectory;
  let app: RunningApp;
  const oidcEnv = (overrides: Record<string, string> = {}) => ({
    OIDC_ISSUER: provider.issuer,
    OIDC_AUDIENCE: AUDIENCE,
    OIDC_ROLES_CLAIM: 'groups',
    OIDC_ROLE_MAP: JSON.stringify(ROLE_MAP),
    OIDC_CLOCK_TOLERANCE_SECONDS: '0',
    ...overrides,
  });

  beforeAll(async () => {
    provider = await startProvider();
    dir = await createPGliteDirectory('oidc');
    app = await RunningApp.start({ DATA_DIR: dir.path, ...oidcEnv() });
  });

  afterAll(async () => {
    await app?.close();
    provider?.process.kill('SIGTERM');
    await dir?.remove();
  });

  it('tells a sign-in screen where tokens come from, before anyone signed in', async () => {
    const options = await app.call('GET', '/auth/sign-in');
    expect(options).toMatchObject({
      status: 200,
      body: { oidc: { issuer: provider.issuer, audience: AUDIENCE } },
    });
  });

  it('signs a pipeline in by its token: principal from sub, roles through the mapping', async () => {
    const requester = await tokenFor(provider.issuer, 'Release-Manager');
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: requester,
      body: changeRequest(),
    });
    expect(created.status).toBe(201);
    const trail = await app.call<Array<{ metadata: { actor: string } }>>(
      'GET',
      `/changes/${created.body.changeId}/events`,
      { key: KEYS.audrey },
    );
    // The principal is normalized like every other: one spelling per person.
    expect(trail.body[0].metadata.actor).toBe('release-manager');

    const deployer = await tokenFor(provider.issuer, 'ci-pipeline');
    const refused = await app.call('POST', '/changes', { key: deployer, body: changeRequest() });
    expect(refused.status).toBe(403);
  });

  it('makes a signed-in person the same principal as their key, for segregation of duties', async () => {
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: changeRequest(),
    });
    const aliceSignedIn = await tokenFor(provider.issuer, 'Alice');
    const approval = await app.call('POST', `/changes/${created.body.changeId}/approvals`, {
      key: aliceSignedIn,
      body: {},
    });
    expect(approval.status).toBe(422);
    expect(approval.body).toMatchObject({ code: 'self-approval' });
  });

  it('refuses a signed-in identity that looks like a configured principal but is not', async () => {
    const lookAlike = await tokenFor(provider.issuer, 'a1ice');
    const response = await app.call('GET', '/changes', { key: lookAlike });
    expect(response.status).toBe(401);
    expect(String(response.body.detail)).toContain('confusable');
  });

  it('grants nothing for groups the mapping does not name', async () => {
    const visitor = await tokenFor(provider.issuer, 'visitor');
    expect((await app.call('GET', '/changes', { key: visitor })).status).toBe(403);
  });

  it('refuses a tampered token, an expired one, and one for another audience', async () => {
    const token = await tokenFor(provider.issuer, 'ci-pipeline');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as object;
    const promoted = Buffer.from(JSON.stringify({ ...claims, groups: ['ledger-approvers'] }));
    const forged = `${header}.${promoted.toString('base64url')}.${signature}`;
    const tampered = await app.call('GET', '/changes', { key: forged });
    expect(tampered.status).toBe(401);
    expect(tampered.contentType).toContain('application/problem+json');

    const shortLived = await tokenFor(provider.issuer, 'short-lived');
    expect((await app.call('GET', '/changes', { key: shortLived })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const expired = await app.call('GET', '/changes', { key: shortLived });
    expect(expired.status).toBe(401);
    expect(String(expired.body.detail)).toContain('"exp"');

    const elsewhereDir = await createPGliteDirectory('oidc-other');
    const elsewhere = await RunningApp.start({
      DATA_DIR: elsewhereDir.path,
      ...oidcEnv({ OIDC_AUDIENCE: 'urn:another-service' }),
    });
    try {
      const wrongAudience = await elsewhere.call('GET', '/changes', { key: token });
      expect(wrongAudience.status).toBe(401);
      expect(String(wrongAudience.body.detail)).toContain('"aud"');
    } finally {
      await elsewhere.close();
      await elsewhereDir.remove();
    }
  });

  it('keeps API keys working beside tokens', async () => {
    expect((await app.call('GET', '/changes', { key: KEYS.audrey })).status).toBe(200);
  });

  it('refuses to start when the issuer cannot be discovered', async () => {
    const nowhereDir = await createPGliteDirectory('oidc-nowhere');
    try {
      await expect(
        RunningApp.start({
          DATA_DIR: nowhereDir.path,
          ...oidcEnv({ OIDC_ISSUER: 'http://127.0.0.1:9/' }),
        }),
      ).rejects.toThrow(/OIDC_ISSUER: cannot read the discovery document/);
    } finally {
      await nowhereDir.remove();
    }
  });
});

import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeRequest } from './support/change-requests';
import { KEYS, RunningApp } from './support/running-app';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('abuse and exposure (PostgreSQL)', () => {
  let running: Awaited<ReturnType<typeof RunningApp.onFreshDatabase>>;
  let app: RunningApp;

  beforeAll(async () => {
    running = await RunningApp.onFreshDatabase('security');
    app = running.app;
  });

  afterAll(() => running?.close());

  it('sends security headers and keeps /docs working under its content security policy', async () => {
    const docs = await fetch(`${app.baseUrl}/docs`);
    expect(docs.status).toBe(200);
    const policy = docs.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await docs.text();
    // Every script and stylesheet the UI loads is served from here, none inline.
    const assets = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) =>
      new URL(m[1], `${app.baseUrl}/docs`).toString(),
    );
    expect(assets.length).toBeGreaterThanOrEqual(4);
    expect(/<script>(?!\s*<\/script>)/.test(html)).toBe(false);
    for (const asset of assets) {
      expect({ asset, status: (await fetch(asset)).status }).toEqual({ asset, status: 200 });
    }
    const api = await fetch(`${app.baseUrl}/health`);
    expect(api.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('sends no CORS header unless origins are configured', async () => {
    const response = await fetch(`${app.baseUrl}/changes`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets an ingest-only key read nothing', async () => {
    const keysFile = join(tmpdir(), `${running.database.name}-keys.json`);
    await writeFile(
      keysFile,
      JSON.stringify([
        { principal: 'monitoring', roles: ['ingest'], keySha256: sha256('monitoring-key') },
        { principal: 'audrey', roles: ['auditor'], keySha256: sha256('audrey-key') },
      ]),
    );
    const scoped = await RunningApp.start({
      EVENT_STORE: 'postgres',
      DATABASE_URL: running.database.connectionString,
      API_KEYS_FILE: keysFile,
    });
    try {
      for (const path of [
        '/changes',
        '/ledger/verify',
        '/services',
        '/incidents/what-changed?service=x',
      ]) {
        const response = await scoped.call('GET', path, { key: 'monitoring-key' });
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
      }
      expect((await scoped.call('GET', '/changes', { key: 'audrey-key' })).status).toBe(200);
      const ingested = await scoped.call('POST', '/ingest/generic', {
        key: 'monitoring-key',
        body: {
          kind: 'alert',
          id: 'scoped-1',
          occurredAt: new Date().toISOString(),
          status: 'firing',
          alertId: 'scoped-1',
          name: 'Down',
          service: 'checkout',
          severity: 'critical',
          startsAt: new Date().toISOString(),
        },
      });
      expect(ingested.status).toBe(202);
    } finally {
      await scoped.close();
    }
  });

  it('binds an Idempotency-Key to its request: another body or route is refused with 422', async () => {
    const key = { 'idempotency-key': `bind-${Date.now()}` };
    const body = changeRequest();
    const first = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body,
      headers: key,
    });
    expect(first.status).toBe(201);
    const otherBody = await app.call('POST', '/changes', {
      key: KEYS.alice,
      body: { ...body, title: 'Something else entirely' },
      headers: key,
    });
    expect(otherBody.status).toBe(422);
    expect(otherBody.contentType).toContain('application/problem+json');
    expect(otherBody.body).toMatchObject({
      code: 'idempotency-key-reused',
      errors: [{ field: 'Idempotency-Key' }],
    });
    // The same key of another principal is another key.
    const bobsKey = await app.call('POST', `/changes/${first.body.changeId}/approvals`, {
      key: KEYS.bob,
      body: {},
      headers: key,
    });
    expect(bobsKey.status).toBe(200);
    const otherRoute = await app.call('POST', `/changes/${first.body.changeId}/cancellation`, {
      key: KEYS.alice,
      body: { reason: 'no longer needed' },
      headers: key,
    });
    expect(otherRoute.status).toBe(422);
    // A request refused as invalid does not use up its key.
    const fresh = { 'idempotency-key': `fresh-${Date.now()}` };
    const invalid = await app.call('POST', '/changes', {
      key: KEYS.alice,
      body: { ...body, type: 'bogus' },
      headers: fresh,
    });
    expect(invalid.status).toBe(400);
    const corrected = await app.call('POST', '/changes', {
      key: KEYS.alice,
      body,
      headers: fresh,
    });
    expect(corrected.status).toBe(201);
  });

  it('records a refused attempt once per principal, change and rule a minute, and counts the rest', async () => {
    // The admin passes every role check, but never approves its own change.
    const own = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.root,
      body: changeRequest({ title: 'Root requests, then tries to approve' }),
    });
    expect(own.status).toBe(201);
    for (let i = 0; i < 5; i++) {
      const refused = await app.call('POST', `/changes/${own.body.changeId}/approvals`, {
        key: KEYS.root,
        body: {},
      });
      expect(refused.status).toBe(422);
    }
    const trail = await app.call<Array<{ type: string }>>(
      'GET',
      `/changes/${own.body.changeId}/events`,
      { key: KEYS.audrey },
    );
    const refusals = trail.body.filter((e) => e.type === 'CommandRefused');
    // Five attempts within a minute (or across a minute boundary: at most two records).
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals.length).toBeLessThanOrEqual(2);
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    const throttled = /ledger_refusals_throttled_total\{code="self-approval"\} (\d+)/.exec(metrics);
    expect(Number(throttled?.[1]) + refusals.length).toBe(5);
  });
});

describe('rate limits and keys on /metrics and /docs (PostgreSQL)', () => {
  let running: Awaited<ReturnType<typeof RunningApp.onFreshDatabase>>;
  let app: RunningApp;

  beforeAll(async () => {
    running = await RunningApp.onFreshDatabase('limits', {
      RATE_LIMIT_PER_PRINCIPAL: '5',
      RATE_LIMIT_PER_ADDRESS: '60',
      METRICS_ACCESS: 'key',
      DOCS_ACCESS: 'key',
      CORS_ORIGINS: 'https://ops.example.com',
    });
    app = running.app;
  });

  afterAll(() => running?.close());

  it('asks for a key on /metrics and /docs, and takes it as Bearer or as the Basic password', async () => {
    for (const path of ['/metrics', '/docs', '/docs/json']) {
      const anonymous = await fetch(`${app.baseUrl}${path}`);
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
      expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    }
    const bearer = await fetch(`${app.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${KEYS.ci}` },
    });
    expect(bearer.status).toBe(200);
    const basic = await fetch(`${app.baseUrl}/docs/json`, {
      headers: { authorization: `Basic ${Buffer.from(`any:${KEYS.audrey}`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
    const wrong = await fetch(`${app.baseUrl}/docs`, {
      headers: { authorization: `Basic ${Buffer.from('any:wrong').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
  });

  it('answers CORS preflights of the configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${app.baseUrl}/changes`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    const allowed = await preflight('https://ops.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 429 with Retry-After once a principal is over its limit, as problem+json', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await app.call('GET', '/changes', { key: KEYS.audrey })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await fetch(`${app.baseUrl}/changes`, {
      headers: { authorization: `Bearer ${KEYS.audrey}` },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(await limited.json()).toMatchObject({ code: 'rate-limited', status: 429 });
    // Another principal from the same address is not held back by audrey's limit.
    expect((await app.call('GET', '/changes', { key: KEYS.bob })).status).toBe(200);
  });

  it('limits every request of an address, signed in or not, so keys cannot be guessed fast', async () => {
    let limitedAt = -1;
    for (let i = 0; i < 60 && limitedAt < 0; i++) {
      const response = await app.call('GET', '/changes', { key: `guess-${i}` });
      if (response.status === 429) limitedAt = i;
      else expect(response.status).toBe(401);
    }
    expect(limitedAt).toBeGreaterThan(0);
  });
});

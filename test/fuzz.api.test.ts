import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  hostileString,
  mutated,
  operationsOf,
  queryOf,
  toWellFormed,
  type OpenApiDocument,
  type Operation,
} from './support/openapi-arbitraries';
import { changeRequest } from './support/change-requests';
import { KEYS, RunningApp } from './support/running-app';

/**
 * Property-based fuzzing of every route the service's own OpenAPI document lists (so routes
 * added later are covered without being named here): mostly-valid bodies with one field made
 * hostile, arbitrary bodies, hostile path parameters and query strings, under the key of every
 * role, no key and a bogus one. No answer may be a 5xx, and the ledger must verify after.
 * FUZZ_RUNS sets the requests per route (default 250; fast-check prints the seed of a failure).
 * Most requests carry the admin key, which passes every role check, so they reach validation
 * and the rules rather than stopping at 403.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const SECRET = 'fuzz-github-secret';

const FIXTURES = join(__dirname, '..', 'src', 'ingest', 'formats', 'fixtures');
const fixturesOf = (prefix: string): unknown[] =>
  readdirSync(FIXTURES)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json') && !name.includes('binary'))
    .map((name) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown);

/** Real payloads of each ingest route, which the mutations start from. */
const SEEDS: Record<string, unknown[]> = {
  '/ingest/github': fixturesOf('github-'),
  '/ingest/{format}': [
    ...fixturesOf('cdevents-'),
    ...fixturesOf('alertmanager-'),
    ...fixturesOf('generic-'),
  ],
};

const RAW_BODIES = [
  '{',
  'null',
  '"text"',
  '[]',
  '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
  '['.repeat(100_000) + ']'.repeat(100_000),
  '{"__proto__":{"admin":true}}',
  '\uFEFF{}',
];

const CREDENTIALS: ReadonlyArray<string | undefined> = [
  ...Object.values(KEYS),
  undefined,
  'not-a-key',
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0.',
];

interface FuzzRequest {
  readonly path: string;
  readonly query: string;
  readonly key: string | undefined;
  readonly body: { readonly json: unknown } | { readonly raw: string } | null;
  readonly contentType: string;
}

interface Failure {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: string;
}

describe('fuzzing every route of the OpenAPI document (PostgreSQL)', () => {
  let running: Awaited<ReturnType<typeof RunningApp.onFreshDatabase>>;
  let app: RunningApp;
  let document: OpenApiDocument;
  const known: string[] = ['checkout', 'production', 'change-catalog', 'generic', 'cdevents'];

  beforeAll(async () => {
    running = await RunningApp.onFreshDatabase('fuzz', {
      GITHUB_WEBHOOK_SECRET: SECRET,
      RATE_LIMIT_PER_ADDRESS: '0',
      RATE_LIMIT_PER_PRINCIPAL: '0',
      LOG_LEVEL: 'silent',
    });
    app = running.app;
    document = (await app.call<OpenApiDocument>('GET', '/docs/json')).body;
    // Real ids, so the fuzzed requests reach past the 404s into the rules.
    const now = Date.now();
    const change = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: changeRequest({
        title: 'Fuzzing seed',
        rollbackPlan: { trigger: 'errors', steps: ['revert'], expectedMinutes: 5 },
      }),
    });
    expect(change.status).toBe(201);
    known.push(change.body.changeId);
    const alertId = `fuzz-${randomUUID()}`;
    const alert = await app.call('POST', '/ingest/generic', {
      key: KEYS.ci,
      body: {
        kind: 'alert',
        id: alertId,
        occurredAt: new Date(now).toISOString(),
        status: 'firing',
        alertId,
        name: 'HighErrorRate',
        service: 'checkout',
        severity: 'critical',
        startsAt: new Date(now).toISOString(),
      },
    });
    expect(alert.status).toBe(202);
    known.push(alertId);
  });

  afterAll(() => running?.close());

  function requests(operation: Operation): fc.Arbitrary<FuzzRequest> {
    const segment = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...known).map(encodeURIComponent) },
      { weight: 3, arbitrary: hostileString().map((s) => encodeURIComponent(toWellFormed(s))) },
      { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%ED%A0%80', '%00', '..') },
    );
    const path = fc
      .tuple(...operation.pathParams.map(() => segment))
      .map((values) =>
        operation.pathParams.reduce(
          (template, name, index) => template.replace(`{${name}}`, values[index]),
          operation.path,
        ),
      );
    const body =
      operation.body === null
        ? fc.constant(null)
        : fc.oneof(
            {
              weight: 6,
              arbitrary: mutated(operation.body, document, known, SEEDS[operation.path]).map(
                (json) => ({ json }),
              ),
            },
            { weight: 2, arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => ({ raw })) },
          );
    return fc.record({
      path,
      query: queryOf(operation, document, known),
      key: fc.oneof(
        { weight: 3, arbitrary: fc.constant<string | undefined>(KEYS.root) },
        { weight: 2, arbitrary: fc.constantFrom(...CREDENTIALS) },
      ),
      body,
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'application/cloudevents+json',
        'text/plain',
      ),
    });
  }

  async function send(operation: Operation, request: FuzzRequest) {
    const headers: Record<string, string> = {};
    if (request.key !== undefined) headers.authorization = `Bearer ${request.key}`;
    let payload: string | undefined;
    if (request.body !== null) {
      payload = 'raw' in request.body ? request.body.raw : JSON.stringify(request.body.json);
      headers['content-type'] = request.contentType;
    }
    if (operation.path === '/ingest/github' && payload !== undefined) {
      headers['x-github-event'] = 'deployment_status';
      headers['x-github-delivery'] = randomUUID();
      headers['x-hub-signature-256'] =
        `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
    }
    const response = await fetch(`${app.baseUrl}${request.path}${request.query}`, {
      method: operation.method,
      headers,
      body: payload,
    });
    return { status: response.status, text: await response.text() };
  }

  it('finds the routes in the OpenAPI document', () => {
    const routes = operationsOf(document).map(({ method, path }) => `${method} ${path}`);
    expect(routes).toEqual(
      expect.arrayContaining(['POST /changes', 'GET /changes', 'POST /ingest/{format}']),
    );
    expect(routes.length).toBeGreaterThan(30);
  });

  it('answers no request on any route with a 5xx', async () => {
    const failures: Failure[] = [];
    for (const operation of operationsOf(document)) {
      await fc.assert(
        fc.asyncProperty(requests(operation), async (request) => {
          const response = await send(operation, request);
          if (response.status >= 500) {
            failures.push({
              method: operation.method,
              path: `${request.path}${request.query}`.slice(0, 300),
              status: response.status,
              body: response.text.slice(0, 300),
            });
          }
        }),
        { numRuns: RUNS },
      );
    }
    expect(failures).toEqual([]);
    // Some 12,000 requests: on a busy 2-core machine they take longer than a suite's default.
  }, 300_000);

  it('leaves a ledger that verifies', async () => {
    const verified = await app.call<{ intact: boolean }>('GET', '/ledger/verify', {
      key: KEYS.audrey,
    });
    expect(verified.status).toBe(200);
    expect(verified.body.intact).toBe(true);
  });
});

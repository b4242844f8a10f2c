import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../src/ledger/event-store';
import { changeRequest } from './support/change-requests';
import { KEYS, RunningApp } from './support/running-app';

const SECRET = 'github-trust-secret';

interface Receipt {
  recorded: number;
  alreadyRecorded: number;
}

describe('ingest cannot speak for anyone (PostgreSQL)', () => {
  let running: Awaited<ReturnType<typeof RunningApp.onFreshDatabase>>;
  let app: RunningApp;
  let store: EventStore;

  beforeAll(async () => {
    running = await RunningApp.onFreshDatabase('ingest_trust', { GITHUB_WEBHOOK_SECRET: SECRET });
    app = running.app;
    store = app.app.get<EventStore>(EVENT_STORE);
  });

  afterAll(() => running?.close());

  const service = () => `svc-${randomUUID().slice(0, 8)}`;
  const deployment = (fields: Record<string, unknown>) => ({
    kind: 'deployment',
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    phase: 'succeeded',
    environment: 'production',
    ...fields,
  });
  const ingest = (body: unknown, key: string = KEYS.ci) =>
    app.call<Receipt>('POST', '/ingest/generic', { key, body });

  it('records the authenticated sender as the actor; what the payload claims is reported data', async () => {
    const name = service();
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: changeRequest({
        title: 'Ship it',
        type: 'standard',
        templateId: 'routine',
        implementationSteps: undefined,
        rollbackPlan: undefined,
        services: [name],
      }),
    });
    expect(created.status).toBe(201);
    // The payload says bob deployed it: bob is an approver, and must not become the actor.
    const reported = await ingest(
      deployment({ service: name, changeId: created.body.changeId, actor: 'bob' }),
    );
    expect(reported.status).toBe(202);
    const serviceEvents = await store.readStream(`service-${name}`);
    expect(serviceEvents[0].metadata.actor).toBe('ci-bot');
    expect(serviceEvents[0].data).toMatchObject({ reportedBy: 'bob' });
    const changeEvents = await store.readStream(`change-${created.body.changeId}`);
    const deployed = changeEvents.filter(
      (e) =>
        e.type !== 'ChangeRequested' && e.type !== 'RiskAssessed' && e.type !== 'ChangeApproved',
    );
    expect(deployed.length).toBeGreaterThan(0);
    for (const event of deployed) expect(event.metadata.actor).toBe('ci-bot');
  });

  it('refuses an occurrence further in the future than the allowed skew', async () => {
    const name = service();
    const future = await ingest(
      deployment({ service: name, occurredAt: new Date(Date.now() + 10 * 60_000).toISOString() }),
    );
    expect(future.status).toBe(400);
    expect(future.body).toMatchObject({
      code: 'malformed-message',
      errors: [{ field: 'occurredAt' }],
    });
    const far = await ingest(deployment({ service: name, occurredAt: '2099-01-01T00:00:00Z' }));
    expect(far.status).toBe(400);
    const slightlyAhead = await ingest(
      deployment({ service: name, occurredAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    expect(slightlyAhead.status).toBe(202);
  });

  it('scopes ids to the sender: two senders using one id both get recorded', async () => {
    const name = service();
    const id = `pipeline-${randomUUID()}`;
    expect((await ingest(deployment({ id, service: name, version: '1' }), KEYS.ci)).body).toEqual({
      recorded: 2,
      alreadyRecorded: 0,
    });
    // root (admin) may ingest too: another sender, so the same id is another occurrence.
    const other = await ingest(deployment({ id, service: name, version: '1' }), KEYS.root);
    expect(other.body).toMatchObject({ alreadyRecorded: 0 });
    const observed = (await store.readStream(`service-${name}`)).filter(
      (e) => e.type === 'DeploymentObserved',
    );
    expect(observed.map((e) => e.metadata.actor)).toEqual(['ci-bot', 'root']);
  });

  it('refuses a redelivery that reports something else under a known id, and counts it', async () => {
    const name = service();
    const first = deployment({ service: name, version: '1.0.0' });
    expect((await ingest(first)).status).toBe(202);
    expect((await ingest(first)).body).toEqual({ recorded: 0, alreadyRecorded: 1 });
    const changed = await ingest({ ...first, version: '6.6.6' });
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({
      code: 'conflicting-redelivery',
      errors: [{ field: 'id' }],
    });

    const alert = {
      kind: 'alert',
      id: `alert-${randomUUID()}`,
      occurredAt: new Date().toISOString(),
      status: 'firing',
      alertId: randomUUID(),
      name: 'HighErrorRate',
      service: name,
      severity: 'warning',
      startsAt: new Date().toISOString(),
    };
    expect((await ingest(alert)).status).toBe(202);
    const escalated = await ingest({ ...alert, severity: 'critical' });
    expect(escalated.status).toBe(409);

    const observed = (await store.readStream(`service-${name}`)).filter(
      (e) => e.type === 'DeploymentObserved',
    );
    expect(observed.map((e) => e.data.version)).toEqual(['1.0.0']);
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/ledger_ingest_conflicting_redeliveries_total\{route="webhook"\} 2/);
  });

  it('deduplicates a GitHub deployment_status by its own id, not by the unsigned delivery id', async () => {
    const body = readFileSync(
      join(
        __dirname,
        '..',
        'src',
        'ingest',
        'formats',
        'fixtures',
        'github-deployment-status-in-progress.json',
      ),
      'utf8',
    );
    const send = () =>
      app.call<Receipt>('POST', '/ingest/github', {
        rawBody: body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'deployment_status',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        },
      });
    const first = await send();
    expect(first.status).toBe(202);
    expect(first.body.recorded).toBeGreaterThan(0);
    // A captured body replayed under a new delivery id records nothing.
    expect((await send()).body).toEqual({ recorded: 0, alreadyRecorded: 1 });
    const events = await store.readStream('service-payments-api');
    expect(events.every((e) => e.metadata.actor === 'github-webhook')).toBe(true);
    expect(events[0].data).toMatchObject({ reportedBy: 'alice' });
  });
});

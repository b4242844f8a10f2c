import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../src/ledger/event-store';
import type { RecordedEvent } from '../src/ledger/ledger-event';
import { verifyLog } from '../src/ledger/verification/verify-log';
import { createTestDatabase, type TestDatabase } from './support/postgres';
import { KEYS, RunningApp } from './support/running-app';

const SECRET = 'github-webhook-test-secret';
const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', 'src', 'ingest', 'formats', 'fixtures', name), 'utf8');

interface Trail {
  type: string;
  data: Record<string, unknown>;
}

describe('ingest over HTTP webhooks into the ledger (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase('ingest');
    app = await RunningApp.start({
      EVENT_STORE: 'postgres',
      DATABASE_URL: db.connectionString,
      GITHUB_WEBHOOK_SECRET: SECRET,
    });
    store = app.app.get<EventStore>(EVENT_STORE);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const now = () => new Date().toISOString();
  const service = () => `svc-${randomUUID().slice(0, 8)}`;

  const deploy = (fields: Record<string, unknown>) =>
    app.call<{ recorded: number; alreadyRecorded: number }>('POST', '/ingest/generic', {
      key: KEYS.ci,
      body: {
        kind: 'deployment',
        id: randomUUID(),
        occurredAt: now(),
        environment: 'production',
        ...fields,
      },
    });

  async function approvedChange(svc: string, commit: string): Promise<string> {
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: {
        title: `Ship ${commit}`,
        description: 'release',
        type: 'normal',
        category: 'application',
        services: [svc],
        environment: 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
        externalRefs: { commit },
      },
    });
    const { changeId } = created.body;
    await app.call('POST', `/changes/${changeId}/approvals`, { key: KEYS.bob, body: {} });
    // Matching by commit reads the change catalog, a projection a few milliseconds behind.
    for (let i = 0; i < 100; i++) {
      const listed = await app.call<{ items: Array<{ status: string }> }>(
        'GET',
        `/changes?service=${svc}&status=approved`,
        { key: KEYS.audrey },
      );
      if (listed.body.items.length > 0) return changeId;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('change never reached the catalog');
  }

  const trail = async (changeId: string) =>
    (await app.call<Trail[]>('GET', `/changes/${changeId}/events`, { key: KEYS.audrey })).body;
  const serviceTrail = async (svc: string): Promise<RecordedEvent[]> =>
    store.readStream(`service-${svc}`);

  it('matches a deploy to its approved change by commit and moves the change to deployed', async () => {
    const svc = service();
    const changeId = await approvedChange(svc, '9f1c2ab7d3e4');
    const response = await deploy({
      phase: 'succeeded',
      service: svc,
      version: '1.0.0',
      commit: '9f1c2ab',
    });
    expect(response.status).toBe(202);
    expect((await trail(changeId)).map((e) => e.type)).toEqual([
      'ChangeRequested',
      'RiskAssessed',
      'ApprovalGranted',
      'ChangeApproved',
      'DeploymentStarted',
      'ChangeDeployed',
    ]);
    const observed = await serviceTrail(svc);
    expect(observed.map((e) => e.type)).toEqual(['DeploymentObserved']);
    expect(observed[0].data).toMatchObject({ changeId, matchedBy: 'commit', phase: 'succeeded' });
  });

  it('records a deploy nobody approved as an unplanned deployment on the service stream', async () => {
    const svc = service();
    await deploy({ phase: 'succeeded', service: svc, version: '2.0.0', commit: 'abcdef12345' });
    const events = await serviceTrail(svc);
    expect(events.map((e) => e.type)).toEqual([
      'DeploymentObserved',
      'UnplannedDeploymentDetected',
    ]);
    expect(events[1].data).toMatchObject({
      reason: 'no-matching-change',
      changeId: null,
      version: '2.0.0',
    });
  });

  it('flags a deploy of a change that was never approved', async () => {
    const svc = service();
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: {
        title: 'Not yet approved',
        description: 'x',
        type: 'normal',
        category: 'application',
        services: [svc],
        environment: 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
      },
    });
    await deploy({
      phase: 'succeeded',
      service: svc,
      version: '3.0.0',
      changeId: created.body.changeId,
    });
    const events = await serviceTrail(svc);
    expect(events[1]).toMatchObject({
      type: 'UnplannedDeploymentDetected',
      data: { reason: 'not-approved', changeId: created.body.changeId },
    });
    // The change itself stays unapproved; the refused attempt is on its record.
    const changeTrail = await trail(created.body.changeId);
    expect(changeTrail.map((e) => e.type)).toEqual([
      'ChangeRequested',
      'RiskAssessed',
      'CommandRefused',
    ]);
    expect(changeTrail[2].data).toMatchObject({ command: 'MarkDeployed', code: 'not-approved' });
  });

  it('treats V1, V2, V1 as a rollback of V2 even when the sender calls it a deploy', async () => {
    const svc = service();
    await deploy({ phase: 'succeeded', service: svc, version: 'v1' });
    const changeId = await approvedChange(svc, '1234567aaaa');
    await deploy({ phase: 'succeeded', service: svc, version: 'v2', commit: '1234567aaaa' });
    await deploy({ phase: 'succeeded', service: svc, version: 'v1' });

    const types = (await trail(changeId)).map((e) => e.type);
    expect(types.slice(-1)).toEqual(['ChangeRolledBack']);
    const events = await serviceTrail(svc);
    const last = events.slice(-2);
    expect(last.map((e) => e.type)).toEqual(['DeploymentObserved', 'RollbackDetected']);
    expect(last[0].data).toMatchObject({ phase: 'rolledback', matchedBy: 'rollback-of', changeId });
    expect(last[1].data).toMatchObject({ fromVersion: 'v2', toVersion: 'v1', changeId });
  });

  it('records each message exactly once however often it is delivered', async () => {
    const svc = service();
    const body = {
      kind: 'deployment',
      id: randomUUID(),
      occurredAt: now(),
      phase: 'succeeded',
      service: svc,
      environment: 'production',
      version: '9',
    };
    const first = await app.call('POST', '/ingest/generic', { key: KEYS.ci, body });
    const again = await app.call('POST', '/ingest/generic', { key: KEYS.ci, body });
    expect(first.body).toEqual({ recorded: 2, alreadyRecorded: 0 });
    expect(again.body).toEqual({ recorded: 0, alreadyRecorded: 1 });
    expect(await serviceTrail(svc)).toHaveLength(2);
  });

  it('records every alert of an Alertmanager group on its own stream, once', async () => {
    const body = fixture('alertmanager-group.json');
    const headers = { 'content-type': 'application/json' };
    const first = await app.call('POST', '/ingest/alertmanager', {
      key: KEYS.ci,
      rawBody: body,
      headers,
    });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ recorded: 2, alreadyRecorded: 0 });
    const replay = await app.call('POST', '/ingest/alertmanager', {
      key: KEYS.ci,
      rawBody: body,
      headers,
    });
    expect(replay.body).toEqual({ recorded: 0, alreadyRecorded: 2 });
    // The feed shows an event once every transaction older than it ended, on the whole server
    // (the service's own followers write all the time): wait for it rather than read once.
    let types: string[] = [];
    for (let i = 0; i < 100 && types.length < 2; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      types = (await store.readAll(null, 10_000))
        .filter((e) => e.streamId.startsWith('alert-'))
        .map((e) => e.type);
    }
    expect(types.sort()).toEqual(['AlertFired', 'AlertResolved']);
  });

  it('accepts CDEvents in binary mode and in structured mode', async () => {
    const headers = JSON.parse(fixture('cdevents-service-deployed.binary-headers.json')) as Record<
      string,
      string
    >;
    const binary = await app.call('POST', '/ingest/cdevents', {
      key: KEYS.ci,
      rawBody: fixture('cdevents-service-deployed.binary-body.json'),
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(binary.status).toBe(202);
    const structured = await app.call('POST', '/ingest/cdevents', {
      key: KEYS.ci,
      rawBody: fixture('cdevents-service-rolledback.json'),
      headers: { 'content-type': 'application/cloudevents+json' },
    });
    expect(structured.status).toBe(202);
    expect(structured.body).toMatchObject({ alreadyRecorded: 0 });
  });

  it('verifies GitHub signatures and uses the delivery id as the idempotency key', async () => {
    const body = fixture('github-deployment-status-success.json');
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'deployment_status',
      'x-github-delivery': randomUUID(),
    };
    const forged = await app.call('POST', '/ingest/github', {
      rawBody: body,
      headers: { ...headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
    });
    expect(forged.status).toBe(401);
    expect(forged.contentType).toContain('application/problem+json');
    const signed = { rawBody: body, headers: { ...headers, 'x-hub-signature-256': signature } };
    expect((await app.call('POST', '/ingest/github', signed)).body).toMatchObject({
      alreadyRecorded: 0,
    });
    expect((await app.call('POST', '/ingest/github', signed)).body).toEqual({
      recorded: 0,
      alreadyRecorded: 1,
    });
  });

  it('refuses a malformed message with the field and reason, and an unknown format', async () => {
    const bad = await app.call('POST', '/ingest/generic', {
      key: KEYS.ci,
      body: {
        kind: 'deployment',
        id: 'x',
        occurredAt: 'yesterday',
        phase: 'succeeded',
        service: 's',
        environment: 'p',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'malformed-message',
      errors: [{ field: 'occurredAt' }],
    });
    expect((await app.call('POST', '/ingest/nonsense', { key: KEYS.ci, body: {} })).status).toBe(
      404,
    );
    expect((await app.call('POST', '/ingest/generic', { key: KEYS.audrey, body: {} })).status).toBe(
      403,
    );
  });

  it('leaves a ledger that verifies', async () => {
    expect(await verifyLog(store)).toMatchObject({ intact: true });
  });
});

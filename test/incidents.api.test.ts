import { EVENT_STORE, type EventStore } from '../src/ledger/event-store';
import { alertStreamId } from '../src/alerts/alert-streams';
import { SQL_CLIENT, type SqlClient } from '../src/sql/sql-client';
import { readModelsCaughtUp } from './support/read-models';
import { createTestDatabase, type TestDatabase } from './support/postgres';
import { KEYS, RunningApp } from './support/running-app';
import { TestClock } from './support/test-clock';

interface Suspect {
  deploymentKey: string;
  changeId: string | null;
  service: string;
  status: string;
  minutesBefore: number;
  score: number;
  depth: number;
  path: string[];
  factors: Record<string, number>;
  reasons: string[];
}
interface Alert {
  alertId: string;
  streamId: string;
  status: string;
  startsAt: string;
  secondsToResolve: number | null;
  windowHours: number;
  cause: { changeId: string | null; note: string; recordedBy: string; at: string } | null;
  suspects: Suspect[];
}
interface WhatChanged {
  windowHours: number;
  from: string;
  upstream: Array<{ service: string; depth: number }>;
  total: number;
  suspects: Suspect[];
}

/** The alert fires at T0; every other time in this history is minutes before (or after) it. */
const T0 = Date.parse('2031-03-10T12:00:00.000Z');
const before = (minutes: number) => new Date(T0 - minutes * 60_000).toISOString();
const ALERT_ID = 'checkout-5xx@2031-03-10T12:00:00Z';

describe('incident correlation: what changed before an alert (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let sql: SqlClient;
  let store: EventStore;
  // Commands take their time from the clock: stopped here, so every recorded time is known.
  const clock = new TestClock(before(24 * 60));
  const change: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase('incidents');
    app = await RunningApp.start(
      {
        EVENT_STORE: 'postgres',
        DATABASE_URL: db.connectionString,
        // The recorded history is laid out ahead of the clock the suite runs at.
        INGEST_MAX_FUTURE_SKEW_SECONDS: '31536000',
      },
      clock,
    );
    sql = app.app.get<SqlClient>(SQL_CLIENT);
    store = app.app.get<EventStore>(EVENT_STORE);
    await buildHistory();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const caughtUp = () => readModelsCaughtUp(sql, ['incident-correlation']);

  async function requestChange(
    name: string,
    service: string,
    fields: { type?: string; blastRadius?: string; environment?: string; approved?: boolean } = {},
  ): Promise<void> {
    const { type = 'standard', blastRadius = 'low', environment = 'production' } = fields;
    // A normal change waits for its approvals (the CAB's too when high risk); a standard one
    // is approved on request, from the test policy's routine template.
    const approve = type === 'normal' && fields.approved !== false;
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: {
        title: `change ${name}`,
        description: 'incident correlation history',
        type,
        ...(type === 'standard' ? { templateId: 'routine' } : {}),
        category: 'application',
        services: [service],
        environment,
        blastRadius,
        hasDatabaseMigration: false,
      },
    });
    expect(created.status).toBe(201);
    change[name] = created.body.changeId;
    const approvers = blastRadius === 'high' ? [KEYS.bob, KEYS.carol] : [KEYS.bob];
    for (const key of approve ? approvers : []) {
      const approved = await app.call('POST', `/changes/${change[name]}/approvals`, {
        key,
        body: {},
      });
      expect(approved.status).toBe(200);
    }
  }

  let deliveries = 0;
  async function deploy(fields: Record<string, unknown>): Promise<void> {
    const response = await app.call('POST', '/ingest/generic', {
      key: KEYS.ci,
      body: {
        kind: 'deployment',
        id: `deploy-${(deliveries += 1)}`,
        environment: 'production',
        phase: 'succeeded',
        ...fields,
      },
    });
    expect(response.status).toBe(202);
  }

  const alertPath = (id: string) => `/alerts/${encodeURIComponent(id)}`;
  const getAlert = async (id = ALERT_ID) => {
    await caughtUp();
    return app.call<Alert>('GET', alertPath(id), { key: KEYS.audrey });
  };
  const whatChanged = async (query: string) => {
    await caughtUp();
    return app.call<WhatChanged>('GET', `/incidents/what-changed?${query}`, { key: KEYS.audrey });
  };
  const ranking = (suspects: Suspect[]) =>
    suspects.map((s) => [s.changeId ?? s.deploymentKey, s.score, s.reasons]);

  /**
   * checkout → payments → ledger; search on its own. Before the alert on checkout at T0:
   *   C1  checkout  normal, low risk         deployed           10 min before
   *   U   checkout  no change: unplanned     deployed           90 min before
   *   C2  payments  standard, low risk       deployed            5 min before
   *   C3  ledger    normal, high risk (CAB)  started            30 min before, still rolling out
   *   C4  checkout  standard, low risk       deployed            5 hours before
   *   C5  payments  standard, low risk       deployed 180 min before, rolled back 120 min before
   *   C6  checkout  in staging               deployed            2 min before
   *   C7  search    (not a dependency)       deployed            1 min before
   * and on search: an unplanned hotfix 50 min before, rolled back 40 min before, and C8, a
   * normal change nobody approved, started anyway 3 min before.
   */
  async function buildHistory(): Promise<void> {
    for (const [name, dependsOn] of [
      ['ledger', []],
      ['payments', ['ledger']],
      ['checkout', ['payments']],
      ['search', []],
    ] as const) {
      const registered = await app.call('POST', '/services', {
        key: KEYS.root,
        body: { name, owner: 'shop', tier: 3, dependsOn },
      });
      expect(registered.status).toBe(201);
    }
    await requestChange('C1', 'checkout', { type: 'normal' });
    await requestChange('C2', 'payments');
    await requestChange('C3', 'ledger', { type: 'normal', blastRadius: 'high' });
    await requestChange('C4', 'checkout');
    await requestChange('C5', 'payments');
    await requestChange('C6', 'checkout', { environment: 'staging' });
    await requestChange('C7', 'search');
    await requestChange('C8', 'search', { type: 'normal', approved: false });

    await deploy({
      service: 'checkout',
      changeId: change.C4,
      version: '4',
      occurredAt: before(300),
    });
    await deploy({
      service: 'payments',
      changeId: change.C5,
      version: '5',
      occurredAt: before(180),
    });
    clock.set(before(120));
    const rolledBack = await app.call('POST', `/changes/${change.C5}/rollbacks`, {
      key: KEYS.ci,
      body: { reason: 'p99 doubled' },
    });
    expect(rolledBack.status).toBe(200);
    await deploy({ service: 'checkout', version: '9.9.9-hotfix', occurredAt: before(90) });
    await deploy({
      service: 'ledger',
      changeId: change.C3,
      phase: 'started',
      version: '3',
      occurredAt: before(30),
    });
    await deploy({
      service: 'checkout',
      changeId: change.C1,
      version: '1',
      occurredAt: before(10),
    });
    await deploy({ service: 'payments', changeId: change.C2, version: '2', occurredAt: before(5) });
    await deploy({
      service: 'checkout',
      environment: 'staging',
      changeId: change.C6,
      version: '6',
      occurredAt: before(2),
    });
    await deploy({ service: 'search', version: 's-hotfix', occurredAt: before(50) });
    await deploy({
      service: 'search',
      phase: 'rolledback',
      version: 's-0',
      occurredAt: before(40),
    });
    await deploy({
      service: 'search',
      changeId: change.C8,
      phase: 'started',
      version: '8',
      occurredAt: before(3),
    });
    await deploy({ service: 'search', changeId: change.C7, version: '7', occurredAt: before(1) });

    const fired = await app.call('POST', '/ingest/generic', {
      key: KEYS.ci,
      body: {
        kind: 'alert',
        id: 'checkout-5xx:firing',
        occurredAt: new Date(T0 + 60_000).toISOString(),
        status: 'firing',
        alertId: ALERT_ID,
        name: 'Checkout5xx',
        service: 'checkout',
        severity: 'critical',
        environment: 'production',
        startsAt: new Date(T0).toISOString(),
      },
    });
    expect(fired.status).toBe(202);
  }

  // Scores (docs/read-models.md, Incident correlation): 0.5^(minutes/60) × 0.5^depth × risk × state, with
  // risk high/unplanned 1, low 0.5 and state rolling-out 1, deployed 0.8, rolled-back 0.4.
  const CHECKOUT_RANKING = () => [
    // C1: 0.5^(10/60) = 0.890899 × 1 × 0.5 × 0.8 = 0.356359
    [change.C1, 0.356359, ['same-service']],
    // U: 0.5^(90/60) = 0.353553 × 1 × 1 × 0.8 = 0.282843
    ['unplanned:checkout:production:9.9.9-hotfix', 0.282843, ['same-service', 'unplanned']],
    // C2: 0.5^(5/60) = 0.943874 × 0.5 × 0.5 × 0.8 = 0.188775
    [change.C2, 0.188775, ['dependency', 'most-recent']],
    // C3: 0.5^(30/60) = 0.707107 × 0.25 × 1 × 1 = 0.176777
    [change.C3, 0.176777, ['dependency', 'still-rolling-out', 'high-risk']],
    // C5 (last moved when rolled back): 0.5^(120/60) = 0.25 × 0.5 × 0.5 × 0.4 = 0.025
    [change.C5, 0.025, ['dependency', 'rolled-back']],
  ];

  it('stores the suspects of an alert when it fires, and returns them with the alert', async () => {
    const alert = await getAlert();
    expect(alert.status).toBe(200);
    expect(alert.body).toMatchObject({
      alertId: ALERT_ID,
      streamId: alertStreamId(ALERT_ID),
      status: 'firing',
      startsAt: '2031-03-10T12:00:00.000Z',
      windowHours: 4,
      cause: null,
      secondsToResolve: null,
    });
    expect(ranking(alert.body.suspects)).toEqual(CHECKOUT_RANKING());
    expect(alert.body.suspects[3]).toMatchObject({
      service: 'ledger',
      depth: 2,
      path: ['checkout', 'payments', 'ledger'],
      status: 'rolling-out',
      minutesBefore: 30,
      factors: { proximity: 0.707107, relation: 0.25, risk: 1, state: 1 },
    });
    // The stream id finds it as well as the id at the source.
    expect((await getAlert(alertStreamId(ALERT_ID))).body.alertId).toBe(ALERT_ID);
  });

  it('answers what changed live, with the same ranking, and the services it looked at', async () => {
    const answer = await whatChanged(
      `service=checkout&at=${encodeURIComponent(before(0))}&environment=production`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ windowHours: 4, from: before(240), total: 5 });
    expect(answer.body.upstream.map((u) => [u.service, u.depth])).toEqual([
      ['payments', 1],
      ['ledger', 2],
    ]);
    expect(ranking(answer.body.suspects)).toEqual(CHECKOUT_RANKING());
  });

  it('ranks from where the alert is: an alert on payments sees payments and ledger only', async () => {
    const answer = await whatChanged(`service=payments&at=${before(0)}&environment=production`);
    expect(ranking(answer.body.suspects)).toEqual([
      // C2: 0.943874 × 1 × 0.5 × 0.8 = 0.377550
      [change.C2, 0.37755, ['same-service', 'most-recent']],
      // C3: 0.707107 × 0.5 × 1 × 1 = 0.353553
      [change.C3, 0.353553, ['dependency', 'still-rolling-out', 'high-risk']],
      // C5: 0.25 × 1 × 0.5 × 0.4 = 0.05
      [change.C5, 0.05, ['same-service', 'rolled-back']],
    ]);
  });

  it('blames deploys nobody approved, rolling out or rolled back, on their service', async () => {
    const answer = await whatChanged(`service=search&at=${before(0)}`);
    expect(ranking(answer.body.suspects)).toEqual([
      // C8 refused (not approved) but deploying: 0.5^(3/60) = 0.965936 × 1 × 1 × rolling-out 1
      [change.C8, 0.965936, ['same-service', 'still-rolling-out', 'unplanned']],
      // C7: 0.5^(1/60) = 0.988514 × 1 × 0.5 × 0.8 = 0.395406
      [change.C7, 0.395406, ['same-service', 'most-recent']],
      // the hotfix, last moved when rolled back: 0.5^(40/60) = 0.629961 × 1 × 1 × 0.4
      [
        'unplanned:search:production:s-hotfix',
        0.251984,
        ['same-service', 'rolled-back', 'unplanned'],
      ],
    ]);
    expect(answer.body.suspects[0]).toMatchObject({
      deploymentKey: 'unplanned:search:production:8',
      title: 'change C8',
      unplanned: true,
      riskLevel: null,
      factors: { risk: 1, state: 1 },
    });
  });

  it('never looks past the window: 5 hours back is not blamed with 4 hours, but is with 6', async () => {
    const four = await whatChanged(`service=checkout&at=${before(0)}&environment=production`);
    expect(four.body.suspects.map((s) => s.changeId)).not.toContain(change.C4);
    const six = await whatChanged(
      `service=checkout&at=${before(0)}&environment=production&windowHours=6`,
    );
    // C4: 0.5^(300/60) = 0.03125 × 1 × 0.5 × 0.8 = 0.0125, last of six
    expect(ranking(six.body.suspects).at(-1)).toEqual([change.C4, 0.0125, ['same-service']]);
    const tooWide = await whatChanged(`service=checkout&windowHours=73`);
    expect(tooWide.status).toBe(400);
    // Asked at a moment before everything, nothing had happened yet.
    expect((await whatChanged(`service=checkout&at=${before(600)}`)).body.suspects).toEqual([]);
  });

  it('looks at every environment unless one is named', async () => {
    const any = await whatChanged(`service=checkout&at=${before(0)}&limit=2`);
    expect(any.body.total).toBe(6);
    // C6 (staging): 0.5^(2/60) = 0.977160 × 1 × 0.5 × 0.8 = 0.390864, now the top suspect
    expect(ranking(any.body.suspects)).toEqual([
      [change.C6, 0.390864, ['same-service', 'most-recent']],
      [change.C1, 0.356359, ['same-service']],
    ]);
  });

  it('puts the cause a responder names first, records it in the ledger, and lets it be corrected', async () => {
    clock.set(new Date(T0 + 30 * 60_000).toISOString());
    const named = await app.call('POST', `${alertPath(ALERT_ID)}/cause`, {
      key: KEYS.bob,
      body: { changeId: change.C2, note: 'payments pool too small since C2' },
    });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ alertId: ALERT_ID, recorded: true });
    const alert = await getAlert();
    expect(alert.body.cause).toEqual({
      changeId: change.C2,
      note: 'payments pool too small since C2',
      recordedBy: 'bob',
      at: '2031-03-10T12:30:00.000Z',
    });
    expect(alert.body.suspects.map((s) => [s.changeId, s.reasons[0]]).slice(0, 2)).toEqual([
      [change.C2, 'explicit-cause'],
      [change.C1, 'same-service'],
    ]);
    const trail = await store.readStream(alertStreamId(ALERT_ID));
    expect(trail.map((e) => e.type)).toEqual(['AlertFired', 'AlertCauseRecorded']);
    expect(trail[1].metadata.actor).toBe('bob');

    const repeated = await app.call('POST', `${alertPath(ALERT_ID)}/cause`, {
      key: KEYS.bob,
      body: { changeId: change.C2, note: 'payments pool too small since C2' },
    });
    expect(repeated.body).toMatchObject({ recorded: false });
    const retried = () =>
      app.call('POST', `${alertPath(ALERT_ID)}/cause`, {
        key: KEYS.ci,
        body: { changeId: change.C1, note: 'the checkout deploy after all' },
        headers: { 'idempotency-key': 'cause-1' },
      });
    expect((await retried()).body).toMatchObject({
      recorded: true,
      cause: { changeId: change.C1 },
    });
    expect((await retried()).body).toMatchObject({ recorded: false });

    const noChange = await app.call('POST', `${alertPath(alertStreamId(ALERT_ID))}/cause`, {
      key: KEYS.carol,
      body: { changeId: null, note: 'provider outage, nothing we changed' },
    });
    expect(noChange.status).toBe(201);
    const corrected = await getAlert();
    expect(corrected.body.cause).toMatchObject({ changeId: null, recordedBy: 'carol' });
    expect(ranking(corrected.body.suspects)).toEqual(CHECKOUT_RANKING());
  });

  it('refuses causes from the wrong people, for unknown alerts and unknown changes', async () => {
    const body = { changeId: change.C1, note: 'x' };
    const cause = (key: string, id = ALERT_ID, payload: unknown = body) =>
      app.call('POST', `${alertPath(id)}/cause`, { key, body: payload });
    expect((await cause(KEYS.alice)).status).toBe(403);
    expect((await cause(KEYS.audrey)).status).toBe(403);
    expect((await cause(KEYS.bob, 'no-such-alert')).status).toBe(404);
    const ghost = await cause(KEYS.bob, ALERT_ID, {
      changeId: '00000000-0000-4000-8000-000000000000',
      note: 'x',
    });
    expect(ghost.status).toBe(404);
    expect(ghost.body).toMatchObject({ code: 'change-not-found' });
    const bad = await cause(KEYS.bob, ALERT_ID, { note: ' ', extra: 1 });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([
      'changeId',
      'extra',
      'note',
    ]);
    expect((await app.call('GET', alertPath('no-such-alert'), { key: KEYS.audrey })).status).toBe(
      404,
    );
  });

  it('says how long the alert took to resolve', async () => {
    const resolved = await app.call('POST', '/ingest/generic', {
      key: KEYS.ci,
      body: {
        kind: 'alert',
        id: 'checkout-5xx:resolved',
        occurredAt: new Date(T0 + 46 * 60_000).toISOString(),
        status: 'resolved',
        alertId: ALERT_ID,
        name: 'Checkout5xx',
        service: 'checkout',
        severity: 'critical',
        startsAt: new Date(T0).toISOString(),
        endsAt: new Date(T0 + 45 * 60_000).toISOString(),
      },
    });
    expect(resolved.status).toBe(202);
    // 12:00 → 12:45
    expect((await getAlert()).body).toMatchObject({ status: 'resolved', secondsToResolve: 2700 });
  });

  it('computes the suspects of an Alertmanager alert from its startsAt, not the clock', async () => {
    clock.set(new Date(T0 + 7 * 24 * 3_600_000).toISOString());
    const response = await app.call('POST', '/ingest/alertmanager', {
      key: KEYS.ci,
      body: {
        version: '4',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'PaymentsLatency', service: 'payments', env: 'production' },
            annotations: {},
            startsAt: new Date(T0).toISOString(),
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: 'a1b2c3d4',
          },
        ],
      },
    });
    expect(response.status).toBe(202);
    const alert = await getAlert(`a1b2c3d4@${new Date(T0).toISOString()}`);
    expect(alert.body.suspects.map((s) => s.changeId)).toEqual([change.C2, change.C3, change.C5]);
  });

  it('lists the latest alerts, on a service and in a status, without their suspects', async () => {
    type Listed = { items: Array<{ alertId: string; service: string; status: string }> };
    const payments = await app.call<Listed>('GET', '/alerts?service=payments', {
      key: KEYS.audrey,
    });
    expect(payments.status).toBe(200);
    expect(payments.body.items).toEqual([
      expect.objectContaining({
        alertId: `a1b2c3d4@${new Date(T0).toISOString()}`,
        status: 'firing',
      }),
    ]);
    expect(payments.body.items[0]).not.toHaveProperty('suspects');
    const resolved = await app.call<Listed>('GET', '/alerts?service=Checkout&status=resolved', {
      key: KEYS.audrey,
    });
    expect(resolved.body.items.map((a) => [a.alertId, a.status])).toEqual([[ALERT_ID, 'resolved']]);
    const firing = await app.call<Listed>('GET', '/alerts?service=checkout&status=firing', {
      key: KEYS.audrey,
    });
    expect(firing.body.items).toEqual([]);
    const all = await app.call<Listed>('GET', '/alerts?limit=1', { key: KEYS.audrey });
    expect(all.body.items).toHaveLength(1);
    const bad = await app.call('GET', '/alerts?status=open', { key: KEYS.audrey });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
  });

  it('keeps what it stored at fire time when a late deploy arrives; the live answer sees it', async () => {
    await deploy({ service: 'checkout', version: 'late', occurredAt: before(1) });
    expect((await getAlert()).body.suspects[0].changeId).toBe(change.C1);
    const live = await whatChanged(`service=checkout&at=${before(0)}&environment=production`);
    // late (unplanned): 0.5^(1/60) = 0.988514 × 1 × 1 × 0.8 = 0.790811
    expect(ranking(live.body.suspects)[0]).toEqual([
      'unplanned:checkout:production:late',
      0.790811,
      ['same-service', 'most-recent', 'unplanned'],
    ]);
  });

  it('rebuilds the read model into exactly the suspects and causes it stored', async () => {
    await caughtUp();
    const snapshot = () =>
      sql
        .query(
          `SELECT a.*, s.rank, s.deployment_key, s.suspect FROM incident_alerts a
           LEFT JOIN incident_alert_suspects s USING (stream_id) ORDER BY a.stream_id, s.rank`,
        )
        .then((rows) => JSON.stringify(rows));
    const timeline = () =>
      sql
        .query('SELECT * FROM deployment_timeline ORDER BY deployment_key, service')
        .then((rows) => JSON.stringify(rows));
    const [alerts, deployments] = [await snapshot(), await timeline()];
    const started = await app.call('POST', '/admin/projections/incident-correlation/rebuild', {
      key: KEYS.root,
    });
    expect(started.status).toBe(202);
    for (let i = 0; i < 200; i++) {
      const status = await app.call<Array<{ name: string; rebuilding: boolean }>>(
        'GET',
        '/admin/projections',
        { key: KEYS.audrey },
      );
      if (!status.body.find((s) => s.name === 'incident-correlation')?.rebuilding) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await snapshot()).toBe(alerts);
    expect(await timeline()).toBe(deployments);
  });
});

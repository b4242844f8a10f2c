import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ANYTIME_POLICY } from '../src/changes/domain/fixtures/decision-context';
import { DEFAULT_POLICY_FILE } from '../src/policy/policy-file/policy-file';
import { PolicyFileError } from '../src/policy/policy-file/read-policy';
import { SQL_CLIENT, type SqlClient } from '../src/sql/sql-client';
import { writePolicyFile } from './support/policy-file';
import { createTestDatabase, type TestDatabase } from './support/postgres';
import { readModelsCaughtUp } from './support/read-models';
import { KEYS, RunningApp, type ApiResponse } from './support/running-app';
import { TestClock } from './support/test-clock';

/*
 * The default policy (config/policy.yaml) over HTTP, on a clock the suite sets: Monday 7
 * January 2030, 10:00 London (GMT). Production tier 1–2 changes deploy Tuesdays and Thursdays
 * 02:00–04:00, five business days after they are requested.
 */

const MONDAY = '2030-01-07T10:00:00.000Z';
const window = (start: string, hours = 1) => ({
  start,
  end: new Date(Date.parse(start) + hours * 3_600_000).toISOString(),
});
const TUESDAY_15 = window('2030-01-15T02:00:00.000Z');

interface Result {
  changeId: string;
  status: string;
  events: Array<{ type: string }>;
}
interface Problem {
  code: string;
  detail: string;
}
interface TrailEvent {
  type: string;
  data: Record<string, unknown>;
}

const ALL_READ_MODELS = ['change-catalog', 'compliance', 'service-graph', 'incident-correlation'];

describe('policy as code over HTTP (the default policy, PostgreSQL)', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let sql: SqlClient;
  const clock = new TestClock(MONDAY);
  const hub = `payments-${randomUUID().slice(0, 6)}`;
  const quiet = `search-${randomUUID().slice(0, 6)}`;
  let version: string;

  const env = () => ({
    EVENT_STORE: 'postgres',
    DATABASE_URL: db.connectionString,
    POLICY_FILE: DEFAULT_POLICY_FILE,
    APPROVAL_SLA_CHECK_MS: '1000',
  });
  const caughtUp = () => readModelsCaughtUp(sql, ALL_READ_MODELS);

  function request(fields: Record<string, unknown> = {}, key: string = KEYS.alice) {
    return app.call<Result & Problem>('POST', '/changes', {
      key,
      body: {
        title: 'Raise the payments pool',
        description: 'pool exhaustion at peak',
        type: 'normal',
        category: 'software-config',
        services: [hub],
        environment: 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
        justification: 'p99 breaches',
        rollbackPlan: { trigger: 'errors', steps: ['revert'], expectedMinutes: 10 },
        testPlan: 'load test',
        plannedWindow: TUESDAY_15,
        ...fields,
      },
    });
  }
  const post = (path: string, key: string, body: unknown = {}) =>
    app.call<Result & Problem>('POST', path, { key, body });
  const trail = async (changeId: string) =>
    (await app.call<TrailEvent[]>('GET', `/changes/${changeId}/events`, { key: KEYS.audrey })).body;
  const created = (response: ApiResponse<Result & Problem>): string => {
    if (response.status !== 201)
      throw new Error(`${response.status} ${JSON.stringify(response.body)}`);
    return response.body.changeId;
  };
  const approved = async (fields: Record<string, unknown> = {}): Promise<string> => {
    const changeId = created(await request(fields));
    expect((await post(`/changes/${changeId}/approvals`, KEYS.bob)).body.status).toBe('approved');
    return changeId;
  };

  beforeAll(async () => {
    db = await createTestDatabase('policy');
    app = await RunningApp.start(env(), clock);
    sql = app.app.get<SqlClient>(SQL_CLIENT);
    // A tier-1 hub four tier-1 services depend on, and a quiet tier-3 service.
    const register = async (name: string, tier: number, dependsOn: string[] = []) =>
      expect(
        (
          await app.call('POST', '/services', {
            key: KEYS.root,
            body: { name, owner: 'shop', tier, dependsOn },
          })
        ).status,
      ).toBe(201);
    await register(hub, 1);
    for (const caller of ['web', 'app', 'checkout', 'orders']) {
      await register(`${caller}-${hub}`, 1, [hub]);
    }
    await register(quiet, 3);
    await caughtUp();
    version = (await app.call<{ version: string }>('GET', '/policy', { key: KEYS.alice })).body
      .version;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('serves the policy in force, its version, and which versions were loaded when', async () => {
    const policy = await app.call<{ version: string; name: string; document: unknown }>(
      'GET',
      '/policy',
      { key: KEYS.ci },
    );
    expect(policy.body).toMatchObject({ name: 'default', source: DEFAULT_POLICY_FILE });
    expect(policy.body.version).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Another instance with another policy records a switch; one with the same records nothing.
    const other = writePolicyFile(ANYTIME_POLICY, 'other');
    for (const file of [other, other]) {
      const instance = await RunningApp.start({ ...env(), POLICY_FILE: file }, clock);
      await instance.close();
    }
    const loads = await app.call<Array<{ version: string; host: string; at: string }>>(
      'GET',
      '/policy/versions',
      { key: KEYS.audrey },
    );
    expect(loads.body.map((l) => l.version)).toEqual([version, ANYTIME_POLICY.version]);
    expect(loads.body[0]).toMatchObject({ at: MONDAY, host: expect.any(String) as string });
    const recorded = await app.call<{ document: { name: string } }>(
      'GET',
      `/policy/versions/${ANYTIME_POLICY.version}`,
      { key: KEYS.audrey },
    );
    expect(recorded.body.document).toEqual(ANYTIME_POLICY.document);
    const never = `sha256:${'0'.repeat(64)}`;
    expect((await app.call('GET', `/policy/versions/${never}`, { key: KEYS.audrey })).status).toBe(
      404,
    );
    expect((await app.call('GET', '/policy/versions/latest', { key: KEYS.audrey })).status).toBe(
      400,
    );
  });

  it('refuses a standard change outside the templates, and records the attempt', async () => {
    // The bypass: "standard" with a high blast radius and a migration was approved on request.
    const bypass = await request({
      type: 'standard',
      blastRadius: 'high',
      hasDatabaseMigration: true,
    });
    expect(bypass.status).toBe(422);
    expect(bypass.body.code).toBe('template-required');
    const outside = await request({
      type: 'standard',
      templateId: 'feature-flag-toggle',
      services: [quiet],
      hasDatabaseMigration: true,
      rollbackPlan: undefined,
      plannedWindow: undefined,
    });
    expect(outside.body).toMatchObject({ code: 'outside-template' });
    expect(outside.body.detail).toContain('it allows no database migration');
    await caughtUp();
    const findings = await app.call<{ items: Array<{ rule: string; detail: string }> }>(
      'GET',
      '/compliance/findings?rule=template-bypass-attempt',
      { key: KEYS.audrey },
    );
    const details = findings.body.items.map((f) => f.detail);
    expect(details).toHaveLength(2);
    expect(
      details.every((d) => d.startsWith('RequestChange by alice: cannot request change')),
    ).toBe(true);
    expect(details.some((d) => d.includes('name one in templateId'))).toBe(true);
    expect(details.some((d) => d.includes('it allows no database migration'))).toBe(true);

    // A change that fits its template is approved on request, with the template's procedure.
    const fits = await request({
      type: 'standard',
      templateId: 'feature-flag-toggle',
      services: [quiet],
      rollbackPlan: undefined,
      plannedWindow: undefined,
    });
    expect(fits.body.status).toBe('approved');
    const [requested, assessed] = await trail(fits.body.changeId);
    expect(requested.data.request).toMatchObject({
      implementationSteps: ['Change the flag in the flag service', expect.any(String) as string],
    });
    expect(assessed.data).toMatchObject({
      route: 'automatic',
      templateId: 'feature-flag-toggle',
      policyVersion: version,
    });
  });

  it('assesses risk from the catalog: a tier-1 hub declared low risk goes to the CAB', async () => {
    const changeId = created(await request({ blastRadius: 'low' }));
    const [, assessed] = await trail(changeId);
    expect(assessed.data).toMatchObject({
      level: 'high',
      route: 'cab',
      requiredApprovals: 2,
      requiredCabApprovals: 1,
      policyVersion: version,
      facts: { services: [{ name: hub, tier: 1 }] },
    });
    expect(assessed.data.factors).toContainEqual({
      factor: 'downstream',
      contribution: 6,
      detail: expect.stringContaining('4 services depend on the changed ones') as string,
    });
    expect((await post(`/changes/${changeId}/approvals`, KEYS.bob)).body.status).toBe(
      'awaiting-approval',
    );
    expect((await post(`/changes/${changeId}/approvals`, KEYS.carol)).body.status).toBe('approved');
  });

  it('holds normal changes to maintenance windows, notice and a longest window', async () => {
    const wednesday = await request({
      plannedWindow: window('2030-01-16T02:00:00.000Z'),
      services: [quiet],
    });
    expect(wednesday.body.code).toBe('outside-window');
    // search is tier 3: weekday business hours; the Wednesday small hours are outside them.
    expect(wednesday.body.detail).toContain(
      'production-business-hours (mon, tue, wed, thu 09:00–16:00 Europe/London)',
    );
    const tomorrow = await request({ plannedWindow: window('2030-01-08T02:00:00.000Z') });
    expect(tomorrow.body).toMatchObject({ code: 'insufficient-notice' });
    expect(tomorrow.body.detail).toContain('requested 5 business days ahead');
    const long = await request({ plannedWindow: window('2030-01-15T02:00:00.000Z', 10) });
    expect(long.body.code).toBe('window-too-long');
  });

  it('binds an approval to its window: a ten-year reschedule is refused, another window needs approvals again', async () => {
    const changeId = await approved({
      services: [quiet],
      plannedWindow: window('2030-01-15T10:00:00.000Z'),
    });
    const tenYears = await post(`/changes/${changeId}/schedule`, KEYS.alice, {
      window: { start: '2030-01-15T10:00:00.000Z', end: '2040-01-15T10:00:00.000Z' },
    });
    expect(tenYears.status).toBe(422);
    expect(tenYears.body.code).toBe('window-too-long');
    expect((await trail(changeId)).at(-1)).toMatchObject({
      type: 'CommandRefused',
      data: { code: 'window-too-long', policyVersion: version },
    });
    const thursday = await post(`/changes/${changeId}/schedule`, KEYS.alice, {
      window: window('2030-01-17T10:00:00.000Z'),
    });
    expect(thursday.body).toMatchObject({ status: 'awaiting-approval' });
    expect(thursday.body.events.map((e) => e.type)).toEqual([
      'ChangeScheduled',
      'ApprovalsInvalidated',
    ]);
    clock.set('2030-01-17T10:30:00.000Z');
    try {
      const deploy = await post(`/changes/${changeId}/deployments`, KEYS.ci);
      expect(deploy.body.code).toBe('not-approved');
    } finally {
      clock.set(MONDAY);
    }
  });

  it('deploys inside the windows, judges rollout stages by the policy’s gates, and halts', async () => {
    const changeId = await approved({
      services: [quiet],
      plannedWindow: window('2030-01-15T10:00:00.000Z', 3),
      version: '2.1.0',
    });
    try {
      clock.set('2030-01-15T10:05:00.000Z');
      const started = await post(`/changes/${changeId}/deployments`, KEYS.ci, { version: '2.2.0' });
      expect(started.status).toBe(200);
      const healthy = { errorRate: 0.0002, p99LatencyMs: 205, baselineP99LatencyMs: 200 };
      clock.advance(20);
      const canary = await post(`/changes/${changeId}/deployments/stages`, KEYS.ci, {
        stage: 'canary',
        percent: 5,
        gates: [],
        metrics: healthy,
      });
      expect(canary.status).toBe(200);
      clock.advance(20);
      await post(`/changes/${changeId}/deployments/stages`, KEYS.ci, {
        stage: 'quarter',
        percent: 25,
        gates: [],
        metrics: { ...healthy, errorRate: 0.02 },
      });
      const stages = (await trail(changeId)).filter((e) => e.type === 'RolloutStageCompleted');
      expect(stages.map((s) => [s.data.verdict, s.data.reason])).toEqual([
        ['promote', 'every gate held'],
        ['halt', 'error-rate failed'],
      ]);
      expect(stages[1].data).toMatchObject({ policyVersion: version, heldMinutes: 20 });
      // The halt is on the record; the rollout may only be rolled back now.
      const deployed = await post(`/changes/${changeId}/deployed`, KEYS.ci);
      expect(deployed.body.code).toBe('rollout-halted');
      expect(
        (await post(`/changes/${changeId}/rollbacks`, KEYS.ci, { reason: 'gate' })).status,
      ).toBe(200);
    } finally {
      clock.set(MONDAY);
    }
    await caughtUp();
    const compliance = await app.call<{ findings: Array<{ rule: string }> }>(
      'GET',
      `/compliance/changes/${changeId}?asOf=2030-01-16T00:00:00Z`,
      { key: KEYS.audrey },
    );
    expect(compliance.body.findings.map((f) => f.rule).sort()).toEqual(
      ['deploy-after-halt-attempt', 'deployed-artifact-not-approved'].sort(),
    );
  });

  it('refuses to deploy in a freeze the CAB declared, until it is ended', async () => {
    const changeId = await approved({
      services: [quiet],
      plannedWindow: window('2030-01-15T10:00:00.000Z'),
    });
    const scope = {
      reason: 'payments migration',
      start: '2030-01-15T00:00:00Z',
      end: '2030-01-16T00:00:00Z',
    };
    expect((await post('/freezes', KEYS.alice, scope)).status).toBe(403);
    const freeze = await app.call<{ freeze: { freezeId: string } }>('POST', '/freezes', {
      key: KEYS.carol,
      body: scope,
    });
    expect(freeze.status).toBe(201);
    const { freezeId } = freeze.body.freeze;
    const inFreeze = await request({
      services: [quiet],
      plannedWindow: window('2030-01-15T11:00:00.000Z'),
    });
    expect(inFreeze.body.code).toBe('in-freeze');
    expect(inFreeze.body.detail).toContain(`freeze ${freezeId} (payments migration`);
    const listed = await app.call<{ freezes: Array<{ freezeId: string }> }>(
      'GET',
      '/freezes?activeAt=2030-01-15T10:30:00Z',
      { key: KEYS.audrey },
    );
    expect(listed.body.freezes.map((f) => f.freezeId)).toContain(freezeId);
    try {
      clock.set('2030-01-15T10:30:00.000Z');
      const refused = await post(`/changes/${changeId}/deployments`, KEYS.ci);
      expect(refused.body.code).toBe('in-freeze');
      expect(
        (await app.call('DELETE', `/freezes/${freezeId}`, { key: KEYS.root, body: {} })).status,
      ).toBe(200);
      expect((await post(`/changes/${changeId}/deployments`, KEYS.ci)).status).toBe(200);
    } finally {
      clock.set(MONDAY);
    }
    expect(
      (await app.call('DELETE', `/freezes/${freezeId}`, { key: KEYS.root, body: {} })).status,
    ).toBe(409);
  });

  it('judges an ingested deploy by when the ledger received it, not only by what it says', async () => {
    // Monday 14th: the first day the notice allows (the 15th was frozen until 10:30).
    const changeId = await approved({
      services: [quiet],
      plannedWindow: window('2030-01-14T10:00:00.000Z'),
    });
    try {
      // Reported back-dated into the window, received the next day.
      clock.set('2030-01-15T12:00:00.000Z');
      const ingested = await app.call('POST', '/ingest/generic', {
        key: KEYS.ci,
        body: {
          kind: 'deployment',
          id: randomUUID(),
          occurredAt: '2030-01-14T10:30:00Z',
          phase: 'succeeded',
          service: quiet,
          environment: 'production',
          changeId,
        },
      });
      expect(ingested.status).toBe(202);
    } finally {
      clock.set(MONDAY);
    }
    const refusal = (await trail(changeId)).find((e) => e.type === 'CommandRefused');
    expect(refusal?.data).toMatchObject({ code: 'outside-window' });
    expect(String(refusal?.data.reason)).toContain('received 2030-01-15T12:00:00.000Z');
  });

  it('asks for approvals again after the scope is amended', async () => {
    const changeId = await approved({
      services: [quiet],
      plannedWindow: window('2030-01-14T11:00:00.000Z'),
    });
    expect(
      (await post(`/changes/${changeId}/amendments`, KEYS.bob, { title: 'mine' })).status,
    ).toBe(403);
    const documented = await post(`/changes/${changeId}/amendments`, KEYS.alice, {
      testPlan: 'smoke tests',
    });
    expect(documented.body).toMatchObject({
      status: 'approved',
      events: [{ type: 'ChangeAmended' }],
    });
    const scoped = await post(`/changes/${changeId}/amendments`, KEYS.alice, {
      hasDatabaseMigration: true,
    });
    expect(scoped.body.status).toBe('awaiting-approval');
    expect(scoped.body.events.map((e) => e.type)).toEqual([
      'ChangeAmended',
      'RiskAssessed',
      'ApprovalsInvalidated',
    ]);
  });

  it('warns of another change on the same service in an overlapping window, and lists it', async () => {
    // A service the catalog does not know: tier 1 by the policy, Tuesday and Thursday nights.
    const services = [`unknown-${randomUUID().slice(0, 6)}`];
    const first = created(
      await request({ services, plannedWindow: window('2030-01-17T02:00:00.000Z') }),
    );
    await caughtUp();
    const second = created(
      await request({ services, plannedWindow: window('2030-01-17T02:30:00.000Z') }),
    );
    const [, assessed] = await trail(second);
    expect(assessed.data.conflicts).toEqual([
      expect.objectContaining({ kind: 'same-service', with: first, action: 'warn' }),
    ]);
    await caughtUp();
    const listed = await app.call<{ conflicts: Array<{ with: string }> }>(
      'GET',
      `/changes/${first}/conflicts`,
      { key: KEYS.audrey },
    );
    expect(listed.body.conflicts.map((c) => c.with)).toEqual([second]);
  });

  it('records that approvals are overdue, once, with whom to escalate to', async () => {
    const changeId = created(
      await request({ services: [quiet], plannedWindow: window('2030-01-15T13:00:00.000Z') }),
    );
    await caughtUp();
    clock.set('2030-01-07T12:30:00.000Z');
    try {
      let overdue: TrailEvent | undefined;
      for (let i = 0; i < 100 && overdue === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        overdue = (await trail(changeId)).find((e) => e.type === 'ApprovalOverdue');
      }
      expect(overdue?.data).toMatchObject({
        route: 'peer-review',
        escalateTo: 'change-managers',
        policyVersion: version,
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await trail(changeId)).filter((e) => e.type === 'ApprovalOverdue')).toHaveLength(1);
    } finally {
      clock.set(MONDAY);
    }
  });

  it('reports each risk level’s outcomes to the auditor, and the templates’ record', async () => {
    await caughtUp();
    expect((await app.call('GET', '/policy/calibration', { key: KEYS.alice })).status).toBe(403);
    const calibration = await app.call<{
      levels: Array<{ level: string; changes: number; deployed: number; failed: number }>;
      policyVersions: string[];
    }>('GET', '/policy/calibration', { key: KEYS.audrey });
    expect(calibration.status).toBe(200);
    expect(calibration.body.policyVersions).toEqual([version]);
    const low = calibration.body.levels.find((l) => l.level === 'low');
    // The halted rollout was rolled back: a failure at its level.
    expect(low).toMatchObject({ failed: 1 });
    expect(calibration.body.levels.find((l) => l.level === 'high')).toMatchObject({ deployed: 0 });
    const report = await app.call<{ templates: Array<{ templateId: string; changes: number }> }>(
      'GET',
      '/compliance/report',
      { key: KEYS.audrey },
    );
    expect(report.body.templates).toEqual([
      expect.objectContaining({ templateId: 'feature-flag-toggle', changes: 1 }),
    ]);
  });

  it('refuses to start with a policy file it cannot read, naming the line and the field', async () => {
    const broken = writePolicyFile(ANYTIME_POLICY, 'broken');
    writeFileSync(broken, 'name: default\ntimeZone: Mars/Olympus\n');
    await expect(RunningApp.start({ ...env(), POLICY_FILE: broken }, clock)).rejects.toThrow(
      PolicyFileError,
    );
    await expect(RunningApp.start({ ...env(), POLICY_FILE: broken }, clock)).rejects.toThrow(
      /line 2, column 1: timeZone: must be an IANA time zone/,
    );
  });
});

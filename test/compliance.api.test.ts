import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { complianceProjection } from '../src/compliance/read-model/compliance.projection';
import { EVENT_STORE, type EventStore } from '../src/ledger/event-store';
import { ProjectionRunner } from '../src/ledger/projection-runner';
import { SQL_CLIENT, type SqlClient } from '../src/sql/sql-client';
import {
  createPGliteDirectory,
  createTestDatabase,
  type TempDirectory,
  type TestDatabase,
} from './support/postgres';
import { KEYS, RunningApp, type ApiResponse } from './support/running-app';

const MINUTE = 60_000;
const plus = (instant: string, minutes: number) =>
  new Date(Date.parse(instant) + minutes * MINUTE).toISOString();
const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / MINUTE;
const fromNow = (minutes: number) => plus(new Date().toISOString(), minutes);

interface TrailEvent {
  type: string;
  data: { at: string; reviewDueBy?: string };
}

interface Finding {
  id: string;
  rule: string;
  at: string;
  changeId: string | null;
  services: string[];
  detail: string;
}

interface ComplianceChange {
  changeId: string;
  type: string;
  route: string | null;
  riskLevel: string | null;
  requestedBy: string;
  requestedAt: string;
  approvals: Array<{ approver: string; at: string; countsAsCab: boolean }>;
  approvedAt: string | null;
  approvedAutomatically: boolean;
  plannedWindow: { start: string; end: string } | null;
  scheduledWindow: { start: string; end: string } | null;
  deployStartedAt: string | null;
  lastDeploymentStepAt: string | null;
  deployedAt: string | null;
  rolledBackAt: string | null;
  rollbackMinutes: number | null;
  reviewDueBy: string | null;
  startedOutsideWindow: boolean;
  closedAt: string | null;
  outcome: string | null;
  attempts: Array<{ code: string; command: string; actor: string; at: string }>;
  completeness: { complete: boolean; missing: string[] };
  findings: Finding[];
}

interface Report {
  period: { from: string | null; to: string | null; service: string | null; asOf: string };
  changes: number;
  volumeByType: Record<string, number>;
  leadTimeMinutes: { count: number; p50: number | null; p90: number | null };
  approvalTimeMinutes: { count: number; p50: number | null; p90: number | null };
  approved: number;
  approvedAutomatically: number;
  approvedAutomaticallyShare: number | null;
  deployed: number;
  failed: number;
  changeFailureRate: number | null;
  rolledBack: number;
  rollbackRate: number | null;
  meanTimeToRollBackMinutes: number | null;
  complete: number;
  auditCompletenessShare: number | null;
  findingsByRule: Record<string, number>;
}

function expectStatus<T>(response: ApiResponse<T>, status: number, what: string): T {
  if (response.status !== status) {
    throw new Error(
      `${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}

describe('compliance read model and API over HTTP (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let store: EventStore;
  let sql: SqlClient;
  /** Used for its lag only: the running service applies the events. */
  let runner: ProjectionRunner;
  const service = `payments-${randomUUID().slice(0, 8)}`;
  const otherService = `search-${randomUUID().slice(0, 8)}`;
  // Half an hour back: one deploy of the history is reported for before its request.
  const suiteStart = plus(new Date().toISOString(), -30);

  /** Each change of the history, by the role it plays; requestedAt read back from the ledger. */
  const ids: Record<string, string> = {};
  const requestedAt: Record<string, string> = {};
  const approvedAt: Record<string, string> = {};
  const windows: Record<string, { start: string; end: string }> = {};
  let reviewDueBy: string;
  let closedFailedAt: string;
  let selfApprovalAt: string;
  let selfReviewAt: string;
  let unplannedAt: string;
  let unknownChangeAt: string;

  const get = <T>(path: string, key: string = KEYS.audrey) => app.call<T>('GET', path, { key });

  const trail = async (id: string) =>
    expectStatus(await get<TrailEvent[]>(`/changes/${id}/events`), 200, `events of ${id}`);
  const eventAt = async (id: string, type: string) => {
    const event = (await trail(id)).find((e) => e.type === type);
    if (!event) throw new Error(`${id} has no ${type}`);
    return event.data.at;
  };

  async function request(
    name: string,
    fields: Record<string, unknown> = {},
    key: string = KEYS.alice,
  ): Promise<string> {
    const body = {
      title: `Change ${name}`,
      description: 'compliance history',
      type: 'normal',
      category: 'application',
      services: [service],
      environment: 'production',
      justification: 'customers need it',
      rollbackPlan: { trigger: 'error rate > 2%', steps: ['helm rollback'], expectedMinutes: 10 },
      testPlan: 'staging soak',
      blastRadius: 'low',
      hasDatabaseMigration: false,
      ...fields,
    };
    const created = expectStatus(
      await app.call<{ changeId: string }>('POST', '/changes', { key, body }),
      201,
      `request ${name}`,
    );
    ids[name] = created.changeId;
    requestedAt[name] = await eventAt(created.changeId, 'ChangeRequested');
    return created.changeId;
  }

  const command = async (name: string, path: string, key: string, body: unknown = {}) =>
    expectStatus(
      await app.call('POST', `/changes/${ids[name]}/${path}`, { key, body }),
      200,
      `${path} of ${name}`,
    );

  const refused = async (name: string, path: string, key: string, body: unknown = {}) =>
    expectStatus(
      await app.call<{ code: string }>('POST', `/changes/${ids[name]}/${path}`, { key, body }),
      422,
      `${path} of ${name}`,
    ).code;

  /** A deploy reported by CI through the generic webhook, at an explicit time. */
  const deploy = async (fields: Record<string, unknown>) =>
    expectStatus(
      await app.call('POST', '/ingest/generic', {
        key: KEYS.ci,
        body: {
          kind: 'deployment',
          id: randomUUID(),
          environment: 'production',
          service,
          ...fields,
        },
      }),
      202,
      `deploy ${JSON.stringify(fields)}`,
    );
  const deployChange = (name: string, minutes: number, fields: Record<string, unknown>) =>
    deploy({ changeId: ids[name], occurredAt: plus(requestedAt[name], minutes), ...fields });

  async function settled(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await runner.lag()).events === 0) return;
      await sleep(50);
    }
    throw new Error('the compliance read model did not catch up within 10 s');
  }

  beforeAll(async () => {
    db = await createTestDatabase('compliance');
    app = await RunningApp.start({
      EVENT_STORE: 'postgres',
      DATABASE_URL: db.connectionString,
      // The recorded history is laid out ahead of the clock the suite runs at.
      INGEST_MAX_FUTURE_SKEW_SECONDS: '31536000',
    });
    store = app.app.get<EventStore>(EVENT_STORE);
    sql = app.app.get<SqlClient>(SQL_CLIENT);
    runner = new ProjectionRunner(store, sql, complianceProjection, {
      batchSize: 1,
      idleMs: 0,
    });

    // clean: root (an admin holds every role, so it can both request and approve) tries to
    // approve its own change (refused), bob approves, it is scheduled, deployed 120 min after
    // the request inside the window, verified, closed.
    await request('clean', { title: 'Raise checkout pool to 50, "carefully"' }, KEYS.root);
    expect(await refused('clean', 'approvals', KEYS.root)).toBe('self-approval');
    selfApprovalAt = (await trail(ids.clean)).filter((e) => e.type === 'CommandRefused')[0].data.at;
    await command('clean', 'approvals', KEYS.bob);
    approvedAt.clean = await eventAt(ids.clean, 'ChangeApproved');
    // The ledger judges a deploy by when it received the report too: the window is open now.
    windows.clean = { start: plus(requestedAt.clean, -10), end: plus(requestedAt.clean, 180) };
    await command('clean', 'schedule', KEYS.root, { window: windows.clean });
    await deployChange('clean', 120, { phase: 'succeeded', version: '1.1.0' });
    await command('clean', 'verification', KEYS.ci);
    await command('clean', 'closure', KEYS.root, { outcome: 'successful' });

    // slowRollback: plan says 15 min; started +30, canary +40, failed +70 → rolled back 30 min
    // after the last step.
    await request('slowRollback', {
      rollbackPlan: { trigger: 'errors', steps: ['revert'], expectedMinutes: 15 },
    });
    await command('slowRollback', 'approvals', KEYS.bob);
    approvedAt.slowRollback = await eventAt(ids.slowRollback, 'ChangeApproved');
    await deployChange('slowRollback', 30, { phase: 'started', version: '1.2.0' });
    await deployChange('slowRollback', 40, {
      phase: 'stage',
      version: '1.2.0',
      stage: 'canary',
      percent: 5,
    });
    await deployChange('slowRollback', 70, { phase: 'failed', version: '1.2.0' });
    await command('slowRollback', 'closure', KEYS.alice, { outcome: 'rolled-back' });

    // failedRollback: no test plan; deployed +90, rolled back +100 (10 min, within its 20),
    // then closed as failed.
    await request('failedRollback', {
      testPlan: undefined,
      rollbackPlan: { trigger: 'errors', steps: ['revert'], expectedMinutes: 20 },
    });
    await command('failedRollback', 'approvals', KEYS.carol);
    approvedAt.failedRollback = await eventAt(ids.failedRollback, 'ChangeApproved');
    await deployChange('failedRollback', 90, { phase: 'succeeded', version: '1.3.0' });
    await deployChange('failedRollback', 100, { phase: 'rolledback', version: '1.2.9' });
    await command('failedRollback', 'closure', KEYS.alice, { outcome: 'failed' });
    closedFailedAt = await eventAt(ids.failedRollback, 'ChangeClosed');

    // standard: approved by policy from a template (whose rollback plan it takes), deployed +30.
    await request('standard', { type: 'standard', templateId: 'routine', rollbackPlan: undefined });
    await deployChange('standard', 30, { phase: 'succeeded', version: '1.4.0' });

    // lateEmergency: window 2–4 h ahead, deployed +10 (outside it), never reviewed or approved;
    // its ticket is on record.
    windows.lateEmergency = { start: fromNow(120), end: fromNow(240) };
    await request('lateEmergency', {
      type: 'emergency',
      plannedWindow: windows.lateEmergency,
      externalRefs: { ticket: 'OPS-1' },
    });
    await deployChange('lateEmergency', 10, { phase: 'succeeded', version: '1.5.0' });
    reviewDueBy = (await trail(ids.lateEmergency)).find((e) => e.type === 'DeploymentStarted')?.data
      .reviewDueBy as string;

    // reviewedEmergency: deployed +45; root may not review its own change, bob does, and
    // records the post-mortem.
    await request(
      'reviewedEmergency',
      { type: 'emergency', externalRefs: { ticket: 'OPS-2' } },
      KEYS.root,
    );
    await deployChange('reviewedEmergency', 45, { phase: 'succeeded', version: '1.6.0' });
    expect(await refused('reviewedEmergency', 'reviews', KEYS.root, { summary: 'fine' })).toBe(
      'self-review',
    );
    selfReviewAt = await eventAt(ids.reviewedEmergency, 'CommandRefused');
    await command('reviewedEmergency', 'reviews', KEYS.bob, { summary: 'root cause fixed' });
    await command('reviewedEmergency', 'reviews', KEYS.bob, {
      summary: 'why the pool ran dry',
      reviewKind: 'post-mortem',
    });

    // early: CI deploys it +5 before anyone approved (refused and flagged), bob approves, the
    // deploy +50 goes through.
    await request('early');
    await deployChange('early', 5, { phase: 'succeeded', version: '1.7.0' });
    await command('early', 'approvals', KEYS.bob);
    approvedAt.early = await eventAt(ids.early, 'ChangeApproved');
    await deployChange('early', 50, { phase: 'succeeded', version: '1.7.1' });
    await command('early', 'closure', KEYS.alice, { outcome: 'successful' });

    // outsideWindow: window from 5 min ago to 5 h ahead; a deploy reported for 20 min before
    // the request (before the window) is refused, the one +200 goes through.
    windows.outsideWindow = { start: fromNow(-5), end: fromNow(300) };
    await request('outsideWindow', { plannedWindow: windows.outsideWindow });
    await command('outsideWindow', 'approvals', KEYS.bob);
    approvedAt.outsideWindow = await eventAt(ids.outsideWindow, 'ChangeApproved');
    await deployChange('outsideWindow', -20, { phase: 'succeeded', version: '1.8.0' });
    await deployChange('outsideWindow', 200, { phase: 'succeeded', version: '1.8.1' });

    // preapproved (a title a spreadsheet would run) and rejected (requested without a rollback
    // plan): never deployed.
    await request('preapproved', {
      type: 'preapproved',
      templateId: 'routine',
      rollbackPlan: undefined,
      title: '=1+1 warm the caches',
    });
    await request('rejected', { rollbackPlan: undefined });
    await command('rejected', 'rejections', KEYS.bob, { reason: 'not now' });

    // Deploys no change accounts for: none named, and one naming a change that does not exist.
    unplannedAt = new Date().toISOString();
    await deploy({ phase: 'succeeded', version: '9.9.9', occurredAt: unplannedAt });
    unknownChangeAt = new Date().toISOString();
    await deploy({
      phase: 'succeeded',
      version: '9.9.10',
      changeId: 'CHG-404',
      occurredAt: unknownChangeAt,
    });

    // Another service's standard change, its rollback plan the template's, deployed +15.
    await request('otherService', {
      type: 'standard',
      templateId: 'routine',
      services: [otherService],
      rollbackPlan: undefined,
    });
    await deploy({
      service: otherService,
      changeId: ids.otherService,
      phase: 'succeeded',
      version: '3.0.0',
      occurredAt: plus(requestedAt.otherService, 15),
    });

    await settled();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  // Three days on, every finding of this history has arisen (the latest, the overdue review,
  // is due 24 h 10 min after the request of lateEmergency).
  const later = () => plus(suiteStart, 3 * 24 * 60);
  const period = () => `from=${suiteStart}&to=${plus(suiteStart, 7 * 24 * 60)}`;

  const change = async (name: string, asOf = later()) =>
    expectStatus(
      await get<ComplianceChange>(`/compliance/changes/${ids[name]}?asOf=${asOf}`),
      200,
      `compliance of ${name}`,
    );

  it('records who, when and in which window for each change, with its completeness', async () => {
    const clean = await change('clean');
    expect(clean).toMatchObject({
      type: 'normal',
      route: 'peer-review',
      riskLevel: 'low',
      requestedBy: 'root',
      requestedAt: requestedAt.clean,
      approvals: [{ approver: 'bob', at: approvedAt.clean, countsAsCab: false }],
      approvedAt: approvedAt.clean,
      approvedAutomatically: false,
      scheduledWindow: windows.clean,
      // MarkDeployed on a scheduled change starts and completes the deployment at once.
      deployStartedAt: plus(requestedAt.clean, 120),
      deployedAt: plus(requestedAt.clean, 120),
      rolledBackAt: null,
      outcome: 'successful',
      completeness: { complete: true, missing: [] },
      attempts: [{ code: 'self-approval', command: 'ApproveChange', actor: 'root' }],
    });
    expect(clean.findings.map((f) => [f.rule, f.at])).toEqual([
      ['self-approval-attempt', selfApprovalAt],
    ]);

    const slow = await change('slowRollback');
    expect(slow).toMatchObject({
      deployStartedAt: plus(requestedAt.slowRollback, 30),
      lastDeploymentStepAt: plus(requestedAt.slowRollback, 40),
      deployedAt: null,
      rolledBackAt: plus(requestedAt.slowRollback, 70),
      rollbackMinutes: 30, // 70 − 40
      outcome: 'rolled-back',
      completeness: { complete: true, missing: [] },
    });
    expect(slow.findings.map((f) => f.rule)).toEqual(['rollback-slower-than-plan']);

    const failed = await change('failedRollback');
    expect(failed).toMatchObject({
      approvals: [{ approver: 'carol', countsAsCab: true }],
      rollbackMinutes: 10, // 100 − 90, within the plan's 20
      outcome: 'failed',
      completeness: { complete: false, missing: ['testPlan'] },
    });
    expect(failed.findings.map((f) => [f.rule, f.at])).toEqual([
      ['rollback-failed', closedFailedAt],
    ]);

    expect(await change('standard')).toMatchObject({
      route: 'automatic',
      templateId: 'routine',
      approvedAutomatically: true,
      approvals: [],
      completeness: { complete: true, missing: [] },
    });
    expect(await change('rejected')).toMatchObject({
      outcome: 'rejected',
      // Approvals are owed only once production changes; the rollback plan at once.
      completeness: { complete: false, missing: ['rollbackPlan'] },
    });
    expect(await change('reviewedEmergency')).toMatchObject({
      route: 'emergency',
      // Its recorded review stands in for the approval an emergency may deploy without.
      completeness: { complete: true, missing: [] },
    });
  });

  it('judges the emergency review against the asOf time, not the clock', async () => {
    // Due 24 h after the deploy started, counted from when the ledger received the report (the
    // earlier of that and the reported time, 10 min after the request): a report dated ahead
    // does not push the deadline out.
    const reported = Date.parse(plus(requestedAt.lateEmergency, 10 + 24 * 60));
    expect(Date.parse(reviewDueBy)).toBeLessThan(reported);
    expect(Date.parse(reviewDueBy)).toBeGreaterThan(
      Date.parse(plus(requestedAt.lateEmergency, 24 * 60)),
    );
    const due = await change('lateEmergency', reviewDueBy);
    expect(due).toMatchObject({
      plannedWindow: windows.lateEmergency,
      startedOutsideWindow: true,
      reviewDueBy,
      completeness: { complete: false, missing: ['approvals'] },
    });
    expect(due.findings.map((f) => [f.rule, f.at])).toEqual([
      ['deploy-outside-window', plus(requestedAt.lateEmergency, 10)],
      ['emergency-review-overdue', reviewDueBy],
    ]);
    const justBefore = await change('lateEmergency', plus(reviewDueBy, -1));
    expect(justBefore.findings.map((f) => f.rule)).toEqual(['deploy-outside-window']);
    // A day on, the post-mortem it owes is overdue too.
    expect((await change('lateEmergency')).findings.map((f) => f.rule)).toEqual([
      'deploy-outside-window',
      'emergency-review-overdue',
      'emergency-postmortem-overdue',
    ]);
    // Default asOf is now: the deploy reported for 10 min from the request has not happened.
    const now = expectStatus(
      await get<ComplianceChange>(`/compliance/changes/${ids.lateEmergency}`),
      200,
      'now',
    );
    expect(now.findings).toEqual([]);

    const reviewed = await change('reviewedEmergency');
    expect(reviewed.findings.map((f) => [f.rule, f.at])).toEqual([
      ['self-review-attempt', selfReviewAt],
    ]);
  });

  it('counts a deploy that is both refused and flagged as one finding', async () => {
    const early = await change('early');
    // The refusal on the change's stream and the detection on the service's stream.
    expect(early.attempts.map((a) => [a.code, a.command, a.at])).toEqual([
      ['not-approved', 'MarkDeployed', plus(requestedAt.early, 5)],
      ['not-approved', 'deploy', plus(requestedAt.early, 5)],
    ]);
    expect(early.findings.map((f) => [f.rule, f.at])).toEqual([
      ['deploy-before-approval', plus(requestedAt.early, 5)],
    ]);
    const outside = await change('outsideWindow');
    expect(outside.findings.map((f) => [f.rule, f.at])).toEqual([
      ['deploy-outside-window', plus(requestedAt.outsideWindow, -20)],
    ]);
    expect(outside.deployedAt).toBe(plus(requestedAt.outsideWindow, 200));
  });

  type FindingRow = [rule: string, changeId: string | null, at: string];
  /** Every finding of the history on `service`, as worked out from what the test did. */
  const expectedFindings = (): FindingRow[] => [
    ['self-approval-attempt', ids.clean, selfApprovalAt],
    ['rollback-slower-than-plan', ids.slowRollback, plus(requestedAt.slowRollback, 70)],
    ['rollback-failed', ids.failedRollback, closedFailedAt],
    ['missing-rollback-plan', ids.rejected, requestedAt.rejected],
    ['deploy-outside-window', ids.lateEmergency, plus(requestedAt.lateEmergency, 10)],
    ['emergency-review-overdue', ids.lateEmergency, reviewDueBy],
    ['emergency-postmortem-overdue', ids.lateEmergency, plus(reviewDueBy, 24 * 60)],
    ['self-review-attempt', ids.reviewedEmergency, selfReviewAt],
    ['deploy-before-approval', ids.early, plus(requestedAt.early, 5)],
    ['deploy-outside-window', ids.outsideWindow, plus(requestedAt.outsideWindow, -20)],
    ['deploy-without-approved-change', null, unplannedAt],
    ['deploy-without-approved-change', null, unknownChangeAt],
  ];
  const byTime = (a: FindingRow, b: FindingRow) =>
    a[2].localeCompare(b[2]) || a[0].localeCompare(b[0]);

  it('lists findings by the time they arose, filtered by period, service, rule and asOf', async () => {
    const all = expectStatus(
      await get<{ asOf: string; items: Finding[] }>(
        `/compliance/findings?service=${service}&asOf=${later()}`,
      ),
      200,
      'findings',
    );
    expect(all.asOf).toBe(later());
    expect(all.items.map((f): FindingRow => [f.rule, f.changeId, f.at]).sort(byTime)).toEqual(
      expectedFindings().sort(byTime),
    );
    expect(all.items.map((f) => f.at)).toEqual([...all.items.map((f) => f.at)].sort());
    const unknown = all.items.find((f) => f.at === unknownChangeAt);
    expect(unknown).toMatchObject({ services: [service], changeId: null });
    expect(unknown?.detail).toContain('CHG-404');

    // Now, only what has happened by now: the ingested deploys of the history are reported
    // for minutes to hours after their requests (but outsideWindow's refused one, 20 min
    // before), so only these seven have.
    const now = expectStatus(
      await get<{ items: Finding[] }>(`/compliance/findings?service=${service}`),
      200,
      'findings now',
    );
    expect(now.items.map((f) => f.rule).sort()).toEqual(
      [
        'self-approval-attempt',
        'rollback-failed',
        'missing-rollback-plan',
        'self-review-attempt',
        'deploy-outside-window',
        'deploy-without-approved-change',
        'deploy-without-approved-change',
      ].sort(),
    );

    // The history's requests are seconds apart, its ingested deploys minutes after them. In
    // [requested(lateEmergency) + 5 min, requested(outsideWindow) + 21 min) from
    // expectedFindings(): early's refused deploy (+5), lateEmergency's start outside its window
    // (+10). slowRollback's (+70) and the overdue review come after; outsideWindow's refused
    // deploy (−20) and everything else arose before.
    const from = plus(requestedAt.lateEmergency, 5);
    const to = plus(requestedAt.outsideWindow, 21);
    const windowed = expectStatus(
      await get<{ items: Finding[] }>(
        `/compliance/findings?service=${service}&asOf=${later()}&from=${from}&to=${to}`,
      ),
      200,
      'findings in a period',
    );
    expect(windowed.items.map((f) => [f.rule, f.changeId])).toEqual([
      ['deploy-before-approval', ids.early],
      ['deploy-outside-window', ids.lateEmergency],
    ]);

    const byRule = expectStatus(
      await get<{ items: Finding[] }>(
        `/compliance/findings?rule=deploy-without-approved-change&asOf=${later()}`,
      ),
      200,
      'findings by rule',
    );
    expect(byRule.items.map((f) => f.at)).toEqual([unplannedAt, unknownChangeAt]);

    // Without a service, every service's: the other service's change took its template's plan.
    const everywhere = expectStatus(
      await get<{ items: Finding[] }>(`/compliance/findings?rule=missing-rollback-plan`),
      200,
      'findings everywhere',
    );
    expect(everywhere.items.map((f) => f.changeId)).toEqual([ids.rejected]);
  });

  it('lists changes by request time, filtered by period, service and finding', async () => {
    const list = async (query: string) =>
      expectStatus(
        await get<{ items: ComplianceChange[] }>(`/compliance/changes?${query}`),
        200,
        query,
      ).items.map((c) => c.changeId);

    const onService = [
      'clean',
      'slowRollback',
      'failedRollback',
      'standard',
      'lateEmergency',
      'reviewedEmergency',
      'early',
      'outsideWindow',
      'preapproved',
      'rejected',
    ];
    expect(await list(`service=${service}`)).toEqual(onService.map((n) => ids[n]));
    expect(await list(`service=${otherService}`)).toEqual([ids.otherService]);
    // [requested(reviewedEmergency), requested(outsideWindow)): the end is exclusive.
    expect(
      await list(`from=${requestedAt.reviewedEmergency}&to=${requestedAt.outsideWindow}`),
    ).toEqual([ids.reviewedEmergency, ids.early]);
    expect(await list(`service=${service}&finding=deploy-outside-window&asOf=${later()}`)).toEqual([
      ids.lateEmergency,
      ids.outsideWindow,
    ]);
    // As of now lateEmergency's outside-window deploy (reported +10 min ahead) has not happened.
    expect(await list(`service=${service}&finding=deploy-outside-window`)).toEqual([
      ids.outsideWindow,
    ]);
    expect(await list(`from=${fromNow(24 * 60)}`)).toEqual([]);
  });

  it('reports the period figures an auditor asks for', async () => {
    const response = await get<Report>(
      `/compliance/report?${period()}&service=${service}&asOf=${later()}`,
    );
    const report = expectStatus(response, 200, 'report');
    expect(response.contentType).toContain('application/json');

    // Approval times of the five changes people approved, from the recorded times.
    const approvalMinutes = ['clean', 'slowRollback', 'failedRollback', 'early', 'outsideWindow']
      .map((n) => minutesBetween(requestedAt[n], approvedAt[n]))
      .sort((a, b) => a - b);

    expect(report).toEqual({
      period: {
        from: suiteStart,
        to: plus(suiteStart, 7 * 24 * 60),
        service,
        asOf: later(),
      },
      // clean, slowRollback, failedRollback, early, outsideWindow, rejected: 6 normal;
      // standard; lateEmergency, reviewedEmergency; preapproved — 10 changes.
      changes: 10,
      volumeByType: { standard: 1, preapproved: 1, normal: 6, emergency: 2 },
      // Deployed (ChangeDeployed): clean 120, failedRollback 90, standard 30, lateEmergency 10,
      // reviewedEmergency 45, early 50, outsideWindow 200 → sorted 10 30 45 50 90 120 200.
      // Nearest rank: p50 = value #⌈0.5·7⌉ = #4 = 50; p90 = #⌈0.9·7⌉ = #7 = 200.
      leadTimeMinutes: { count: 7, p50: 50, p90: 200 },
      // Five values: p50 = #⌈2.5⌉ = #3, p90 = #⌈4.5⌉ = #5 of the sorted list.
      approvalTimeMinutes: { count: 5, p50: approvalMinutes[2], p90: approvalMinutes[4] },
      // The five above plus standard and preapproved, approved by policy: 2 / 7.
      approved: 7,
      approvedAutomatically: 2,
      approvedAutomaticallyShare: 2 / 7,
      // Deployment started: all but preapproved and rejected.
      deployed: 8,
      // slowRollback (rolled back) and failedRollback (rolled back, closed failed): 2 / 8.
      failed: 2,
      changeFailureRate: 0.25,
      rolledBack: 2,
      rollbackRate: 0.25,
      // (30 + 10) / 2.
      meanTimeToRollBackMinutes: 20,
      // Incomplete: failedRollback (test plan), rejected (rollback plan), lateEmergency
      // (neither approved nor reviewed) → 7 / 10.
      complete: 7,
      auditCompletenessShare: 0.7,
      findingsByRule: {
        'self-approval-attempt': 1,
        'self-review-attempt': 1,
        'deploy-without-approved-change': 2,
        'deploy-before-approval': 1,
        'deploy-outside-window': 2,
        'emergency-review-overdue': 1,
        'missing-rollback-plan': 1,
        'rollback-failed': 1,
        'rollback-slower-than-plan': 1,
        'template-bypass-attempt': 0,
        'deploy-in-freeze': 0,
        'deploy-after-halt-attempt': 0,
        'deployed-artifact-not-approved': 0,
        'emergency-ticket-overdue': 0,
        'emergency-postmortem-overdue': 1,
      },
      // standard and preapproved, from the test policy's routine template.
      templates: [
        {
          templateId: 'routine',
          changes: 2,
          deployed: 1,
          failed: 0,
          rolledBack: 0,
          changeFailureRate: 0,
        },
      ],
      // Everyone approved within the peer-review SLA of 2 h; nobody approved an emergency.
      approvalSla: [
        {
          route: 'emergency',
          slaHours: null,
          approved: 0,
          withinSla: 0,
          overdue: 0,
          approvalTimeMinutes: { count: 0, p50: null, p90: null },
        },
        {
          route: 'peer-review',
          slaHours: 2,
          approved: 5,
          withinSla: 5,
          overdue: 0,
          approvalTimeMinutes: { count: 5, p50: approvalMinutes[2], p90: approvalMinutes[4] },
        },
      ],
    });

    // A minute before the review fell due, that finding has not arisen yet.
    const before = expectStatus(
      await get<Report>(
        `/compliance/report?${period()}&service=${service}&asOf=${plus(reviewDueBy, -1)}`,
      ),
      200,
      'report before the review was due',
    );
    expect(before.findingsByRule['emergency-review-overdue']).toBe(0);
    expect(before.findingsByRule['deploy-outside-window']).toBe(2);

    // Both services: otherService's standard change adds a change, a deploy (+15 min lead
    // time: 10 15 30 45 50 90 120 200 → p50 #4 = 45) and an automatic approval.
    const both = expectStatus(
      await get<Report>(`/compliance/report?${period()}&asOf=${later()}`),
      200,
      'report of every service',
    );
    expect(both).toMatchObject({
      changes: 11,
      leadTimeMinutes: { count: 8, p50: 45, p90: 200 },
      approvedAutomaticallyShare: 3 / 8,
      deployed: 9,
      changeFailureRate: 2 / 9,
      complete: 8,
      auditCompletenessShare: 8 / 11,
    });
    expect(both.findingsByRule['missing-rollback-plan']).toBe(1);

    const empty = expectStatus(
      await get<Report>(`/compliance/report?from=${fromNow(24 * 60)}`),
      200,
      'report of an empty period',
    );
    expect(empty).toMatchObject({
      changes: 0,
      leadTimeMinutes: { count: 0, p50: null, p90: null },
      changeFailureRate: null,
      meanTimeToRollBackMinutes: null,
      auditCompletenessShare: null,
    });
  });

  it('exports changes, findings and the report as CSV downloads', async () => {
    const csv = async (path: string) => {
      const response = await app.call<string>('GET', path, { key: KEYS.audrey });
      expect(response.status).toBe(200);
      expect(response.contentType).toBe('text/csv; charset=utf-8');
      return response.body.split('\r\n');
    };
    const headers = await fetch(
      `${app.baseUrl}/compliance/findings?format=csv&service=${service}`,
      { headers: { authorization: `Bearer ${KEYS.audrey}` } },
    );
    expect(headers.headers.get('content-disposition')).toBe(
      'attachment; filename="compliance-findings.csv"',
    );

    const changes = await csv(`/compliance/changes?service=${service}&format=csv&asOf=${later()}`);
    expect(changes[0]).toBe(
      'changeId,title,type,category,environment,services,route,riskLevel,requestedBy,' +
        'requestedAt,approvers,approvedAt,approvedAutomatically,plannedWindowStart,' +
        'plannedWindowEnd,scheduledWindowStart,scheduledWindowEnd,deployStartedAt,deployedAt,' +
        'rolledBackAt,rollbackMinutes,rollbackExpectedMinutes,reviewDueBy,firstReviewAt,' +
        'closedAt,outcome,complete,missing,findings',
    );
    // Header, 10 changes, and the empty string after the last CRLF.
    expect(changes).toHaveLength(12);
    expect(changes[11]).toBe('');
    expect(changes[1]).toContain(
      `${ids.clean},"Raise checkout pool to 50, ""carefully""",normal,application,production,` +
        `${service},peer-review,low,root,${requestedAt.clean},bob ${approvedAt.clean},`,
    );
    expect(changes[1]).toMatch(/,successful,true,,self-approval-attempt$/);
    expect(changes[9]).toContain(`${ids.preapproved},'=1+1 warm the caches,preapproved`);
    expect(changes[5]).toMatch(
      /,false,approvals,deploy-outside-window; emergency-review-overdue; emergency-postmortem-overdue$/,
    );

    const findings = await csv(
      `/compliance/findings?service=${service}&format=csv&asOf=${later()}`,
    );
    expect(findings[0]).toBe('id,rule,at,changeId,services,detail');
    expect(findings).toHaveLength(1 + 12 + 1);
    expect(
      findings.filter((line) => line.includes(',deploy-without-approved-change,')),
    ).toHaveLength(2);

    const report = await csv(
      `/compliance/report?${period()}&service=${service}&asOf=${later()}&format=csv`,
    );
    expect(report[0]).toBe('metric,value');
    expect(report).toEqual(
      expect.arrayContaining([
        `period.service,${service}`,
        `period.asOf,${later()}`,
        'changes,10',
        'volumeByType.normal,6',
        'leadTimeMinutes.p50,50',
        'leadTimeMinutes.p90,200',
        'changeFailureRate,0.25',
        'meanTimeToRollBackMinutes,20',
        'auditCompletenessShare,0.7',
        'findingsByRule.deploy-outside-window,2',
      ]),
    );
  });

  it('rebuilds into the same records and findings however the feed is cut into batches', async () => {
    const snapshot = async () => [
      await get(`/compliance/changes?asOf=${later()}`),
      await get(`/compliance/findings?asOf=${later()}`),
    ];
    const before = await snapshot();
    const started = await app.call('POST', `/admin/projections/compliance/rebuild`, {
      key: KEYS.root,
    });
    expect(started).toMatchObject({ status: 202, body: { started: true } });
    for (let i = 0; i < 200; i++) {
      const status = await get<Array<{ name: string; rebuilding: boolean }>>('/admin/projections');
      if (!status.body.find((s) => s.name === 'compliance')?.rebuilding) break;
      await sleep(50);
    }
    await settled();
    expect(await snapshot()).toEqual(before);

    // Every event in a batch of its own, then the whole ledger in one batch.
    for (const batchSize of [1, 10_000]) {
      await new ProjectionRunner(store, sql, complianceProjection, {
        batchSize,
        idleMs: 0,
      }).rebuild();
      expect({ batchSize, read: await snapshot() }).toEqual({ batchSize, read: before });
    }
  });

  it('is for auditors, says how far behind it is, and refuses bad queries with the field', async () => {
    expect((await app.call('GET', '/compliance/report')).status).toBe(401);
    expect((await get('/compliance/report', KEYS.alice)).status).toBe(403);
    expect((await get('/compliance/findings', KEYS.ci)).status).toBe(403);
    expect((await get('/compliance/report', KEYS.root)).status).toBe(200);
    const served = await fetch(`${app.baseUrl}/compliance/changes/${ids.clean}`, {
      headers: { authorization: `Bearer ${KEYS.audrey}` },
    });
    expect(served.headers.get('x-read-model-lag-events')).toMatch(/^\d+$/);

    expect((await get(`/compliance/changes/${randomUUID()}`)).status).toBe(404);
    expect((await get('/compliance/changes/not-a-uuid')).status).toBe(400);

    const invalid = async (query: string) => {
      const response = await get<{ code: string; errors: Array<{ field: string }> }>(
        `/compliance/changes?${query}`,
      );
      const problem = response.contentType.startsWith('application/problem+json');
      expect({ query, status: response.status, problem }).toEqual({
        query,
        status: 400,
        problem: true,
      });
      return response.body.errors.map((e) => e.field);
    };
    expect(await invalid('from=2026-01-01')).toEqual(['from']);
    expect(await invalid('asOf=2026-01-01T00:00:00')).toEqual(['asOf']);
    expect(await invalid('from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')).toEqual(['to']);
    expect(await invalid('finding=bogus')).toEqual(['finding']);
    expect(await invalid('format=xml')).toEqual(['format']);
    expect(await invalid('colour=blue')).toEqual(['colour']);
  });
});

describe('compliance read model on the embedded store', () => {
  let dir: TempDirectory;
  let app: RunningApp;

  beforeAll(async () => {
    dir = await createPGliteDirectory('compliance');
    app = await RunningApp.start({ EVENT_STORE: 'embedded', DATA_DIR: dir.path });
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it('serves the same figures from PGlite', async () => {
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: {
        title: 'Warm the caches',
        description: 'routine',
        type: 'standard',
        templateId: 'routine',
        category: 'application',
        services: ['cache'],
        environment: 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
      },
    });
    expect(created.status).toBe(201);
    const deployed = await app.call('POST', `/changes/${created.body.changeId}/deployed`, {
      key: KEYS.ci,
      body: {},
    });
    expect(deployed.status).toBe(200);

    let report: Report | undefined;
    for (let i = 0; i < 200 && report?.deployed !== 1; i++) {
      if (i > 0) await sleep(50);
      report = (await app.call<Report>('GET', '/compliance/report', { key: KEYS.audrey })).body;
    }
    // One standard change: approved by policy, deployed, with its template's rollback plan but
    // no justification or test plan.
    expect(report).toMatchObject({
      changes: 1,
      volumeByType: { standard: 1 },
      approvedAutomaticallyShare: 1,
      deployed: 1,
      changeFailureRate: 0,
      complete: 0,
      findingsByRule: { 'missing-rollback-plan': 0 },
      templates: [{ templateId: 'routine', changes: 1, deployed: 1 }],
    });
  });
});

import { SQL_CLIENT, type SqlClient } from '../src/sql/sql-client';
import { readModelsCaughtUp } from './support/read-models';
import { createTestDatabase, type TestDatabase } from './support/postgres';
import { KEYS, RunningApp } from './support/running-app';
import { TestClock } from './support/test-clock';
import { writePolicyFile } from './support/policy-file';
import { anytimePolicyWith } from '../src/changes/domain/fixtures/decision-context';

interface Figures {
  start: string;
  end: string;
  deployments: number;
  leadTime: { count: number; medianSeconds: number | null; p90Seconds: number | null };
  changeFailureRate: { failed: number; deployments: number; rate: number | null };
  recoveryTime: { failed: number; recovered: number; medianSeconds: number | null };
}
interface Metrics {
  scope: { services: string[] | null; environment: string };
  buckets: Figures[];
  total: Figures;
}

const at = (dayAndTime: string) => `2031-03-${dayAndTime}:00.000Z`;
const WEEK1 = { start: at('03T00:00'), end: at('10T00:00') };
const WEEK2 = { start: at('10T00:00'), end: at('17T00:00') };
const TWO_WEEKS = `from=${WEEK1.start}&to=${WEEK2.end}&bucket=week`;

function figures(
  deployments: number,
  leadTimes: [count: number, median: number | null, p90: number | null],
  failed: number,
  recoveries: [recovered: number, median: number | null],
) {
  return {
    deployments,
    leadTime: { count: leadTimes[0], medianSeconds: leadTimes[1], p90Seconds: leadTimes[2] },
    changeFailureRate: {
      failed,
      deployments,
      rate: deployments === 0 ? null : failed / deployments,
    },
    recoveryTime: { failed, recovered: recoveries[0], medianSeconds: recoveries[1] },
  };
}

describe('delivery metrics, the four DORA keys, from a recorded history (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let sql: SqlClient;
  // Commands take their time from the clock: stopped here, so every recorded time is known.
  const clock = new TestClock(at('01T00:00'));
  const change: Record<string, string> = {};
  let deliveries = 0;

  beforeAll(async () => {
    db = await createTestDatabase('delivery');
    // The history fails on purpose; the risk it would add is not what this suite is about.
    const policy = anytimePolicyWith((p) => {
      p.risk.weights.changeFailureRate.weight = 0;
    });
    app = await RunningApp.start(
      {
        EVENT_STORE: 'postgres',
        DATABASE_URL: db.connectionString,
        POLICY_FILE: writePolicyFile(policy),
        // The recorded history is laid out ahead of the clock the suite runs at.
        INGEST_MAX_FUTURE_SKEW_SECONDS: '31536000',
      },
      clock,
    );
    sql = app.app.get<SqlClient>(SQL_CLIENT);
    await buildHistory();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const caughtUp = () => readModelsCaughtUp(sql, ['incident-correlation', 'service-graph']);

  async function request(
    name: string,
    service: string,
    when: string,
    fields: { environment?: string; commit?: string } = {},
  ) {
    clock.set(at(when));
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: {
        title: `change ${name}`,
        description: 'delivery history',
        type: 'standard',
        templateId: 'routine',
        category: 'application',
        services: [service],
        environment: fields.environment ?? 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
        externalRefs: fields.commit === undefined ? undefined : { commit: fields.commit },
      },
    });
    expect(created.status).toBe(201);
    change[name] = created.body.changeId;
  }

  async function ingest(format: string, body: unknown, headers?: Record<string, string>) {
    const response = await app.call('POST', `/ingest/${format}`, {
      key: KEYS.ci,
      ...(headers ? { rawBody: JSON.stringify(body), headers } : { body }),
    });
    expect(response.status).toBe(202);
  }

  const deploy = (service: string, when: string, fields: Record<string, unknown> = {}) =>
    ingest('generic', {
      kind: 'deployment',
      id: `deploy-${(deliveries += 1)}`,
      occurredAt: at(when),
      environment: 'production',
      phase: 'succeeded',
      service,
      ...fields,
    });

  /** A pull request merged, as CDEvents change.merged (structured mode). */
  function merge(service: string, commit: string, when: string) {
    const id = `merge-${commit}`;
    const source = `https://git.example.com/acme/${service}`;
    const type = 'dev.cdevents.change.merged.0.2.0';
    return ingest(
      'cdevents',
      {
        specversion: '1.0',
        id,
        source,
        type,
        datacontenttype: 'application/json',
        data: {
          context: { version: '0.4.1', id, source, type, timestamp: at(when) },
          subject: { id: `pr-${commit}`, source, type: 'change', content: {} },
          customData: { commit, service },
        },
      },
      { 'content-type': 'application/cloudevents+json' },
    );
  }

  function alert(name: string, service: string, when: string) {
    return ingest('generic', {
      kind: 'alert',
      id: `${name}:firing`,
      occurredAt: at(when),
      status: 'firing',
      alertId: name,
      name,
      service,
      severity: 'critical',
      environment: 'production',
      startsAt: at(when),
    });
  }

  /**
   * checkout (team storefront) → payments → ledger (both team payments-team). In time order:
   *
   * week 1 (Mon 3 March)
   *   P1 payments  requested 03 09:00, merged 03 10:00 (a1b2c3d4…), deployed 03 12:00 as a1b2c3d
   *   P2 payments  requested 04 08:00, deployed 04 14:00, rolled back 04 15:00
   *   C1 checkout  requested 04 10:00, deployed 04 11:00
   *   P3 payments  requested 05 09:00, deployed 05 10:00; alert A1 on payments at 05 10:20
   *   P4 payments  requested 05 12:00, deployed 05 16:00
   *   L1 ledger    merged 06 09:00 (b2c3d4e5…), deployed without a change 06 11:00
   * week 2 (Mon 10 March)
   *   P5 payments  merged 10 07:00 (c3d4e5f6…), requested 10 09:00 naming it, deployed 11 09:00
   *   C2 checkout  requested 11 08:00, deployed 11 08:40; alert A2 on checkout at 11 09:10
   *   C3 checkout  requested 11 12:00, deployed 11 13:00
   *   P6 payments  requested 12 06:00, deployed 12 09:00; alert A3 on payments at 12 12:00
   *   P7 payments  in staging: requested 12 09:30, deployed 12 10:00
   *   L2 ledger    requested 13 09:00, started 13 10:00, still rolling out
   *   L3 ledger    requested 13 09:00, started 13 11:00, failed 13 11:30
   */
  async function buildHistory(): Promise<void> {
    for (const [name, owner, dependsOn] of [
      ['ledger', 'payments-team', []],
      ['payments', 'payments-team', ['ledger']],
      ['checkout', 'storefront', ['payments']],
    ] as const) {
      const registered = await app.call('POST', '/services', {
        key: KEYS.root,
        body: { name, owner, tier: 1, dependsOn },
      });
      expect(registered.status).toBe(201);
    }
    await request('P1', 'payments', '03T09:00', { commit: 'a1b2c3d4e5f60001' });
    await merge('payments', 'a1b2c3d4e5f60001', '03T10:00');
    await deploy('payments', '03T12:00', { changeId: change.P1, version: 'p1', commit: 'a1b2c3d' });
    await request('P2', 'payments', '04T08:00');
    await request('C1', 'checkout', '04T10:00');
    await deploy('checkout', '04T11:00', { changeId: change.C1, version: 'c1' });
    await deploy('payments', '04T14:00', { changeId: change.P2, version: 'p2' });
    await deploy('payments', '04T15:00', {
      changeId: change.P2,
      phase: 'rolledback',
      version: 'p1',
    });
    await request('P3', 'payments', '05T09:00');
    await deploy('payments', '05T10:00', { changeId: change.P3, version: 'p3' });
    await alert('A1', 'payments', '05T10:20');
    await request('P4', 'payments', '05T12:00');
    await deploy('payments', '05T16:00', { changeId: change.P4, version: 'p4' });
    await merge('ledger', 'b2c3d4e5f6a70002', '06T09:00');
    await deploy('ledger', '06T11:00', { version: 'l1', commit: 'b2c3d4e5f6a70002' });

    await merge('payments', 'c3d4e5f6a7b80003', '10T07:00');
    await request('P5', 'payments', '10T09:00', { commit: 'c3d4e5f6a7b80003' });
    await request('C2', 'checkout', '11T08:00');
    await deploy('checkout', '11T08:40', { changeId: change.C2, version: 'c2' });
    await deploy('payments', '11T09:00', { changeId: change.P5, version: 'p5' });
    await alert('A2', 'checkout', '11T09:10');
    await request('C3', 'checkout', '11T12:00');
    await deploy('checkout', '11T13:00', { changeId: change.C3, version: 'c3' });
    await request('P6', 'payments', '12T06:00');
    await deploy('payments', '12T09:00', { changeId: change.P6, version: 'p6' });
    await request('P7', 'payments', '12T09:30', { environment: 'staging' });
    await deploy('payments', '12T10:00', {
      changeId: change.P7,
      version: 'p7',
      environment: 'staging',
    });
    await alert('A3', 'payments', '12T12:00');
    await request('L2', 'ledger', '13T09:00');
    await request('L3', 'ledger', '13T09:00');
    await deploy('ledger', '13T10:00', { changeId: change.L2, phase: 'started', version: 'l2' });
    await deploy('ledger', '13T11:00', { changeId: change.L3, phase: 'started', version: 'l3' });
    await deploy('ledger', '13T11:30', { changeId: change.L3, phase: 'failed', version: 'l3' });
  }

  const metrics = async (query: string) => {
    await caughtUp();
    const response = await app.call<Metrics>('GET', `/delivery/metrics?${query}`, {
      key: KEYS.audrey,
    });
    expect(response.status).toBe(200);
    return response.body;
  };

  const cause = (alertId: string, changeId: string | null) =>
    app.call('POST', `/alerts/${alertId}/cause`, {
      key: KEYS.carol,
      body: { changeId, note: 'named in the post-incident review' },
    });

  it('attributes each alert to the heuristic top suspect until a responder says otherwise', async () => {
    // A1 → P3 (20 min before, same service); A2 → C2 (30 min before, same service: 0.5^(30/60)
    // × 0.5 × 0.8 = 0.282843 beats P5, 10 min before but a dependency: 0.890899 × 0.5 × 0.5 ×
    // 0.8 = 0.178180); A3 → P6 (3 h before; P7 is in staging).
    const payments = await metrics(`service=payments&${TWO_WEEKS}`);
    // week 2: P5, P6 deployed; P6 failed (A3) and nothing good followed it in production.
    expect(payments.buckets[1]).toEqual({
      ...WEEK2,
      ...figures(2, [2, 52200, 93600], 1, [0, null]),
    });
    const storefront = await metrics(`team=storefront&${TWO_WEEKS}`);
    // week 2: C2 failed (A2) and recovered when C3 went live: 08:40 → 13:00 = 15600 s.
    expect(storefront.buckets[1]).toEqual({
      ...WEEK2,
      ...figures(2, [2, 3000, 3600], 1, [1, 15600]),
    });
  });

  describe('once responders named causes: A2 was P5, A3 was no change', () => {
    beforeAll(async () => {
      clock.set(at('14T09:00'));
      expect((await cause('A2', change.P5)).status).toBe(201);
      expect((await cause('A3', null)).status).toBe(201);
    });

    it('computes the four keys per week for one service', async () => {
      const payments = await metrics(`service=payments&${TWO_WEEKS}`);
      expect(payments.scope).toEqual({
        service: 'payments',
        team: null,
        services: ['payments'],
        environment: 'production',
      });
      // Week 1: P1, P2, P3, P4.
      //   lead times: P1 from its merge 10:00 → 12:00 = 7200 (the deploy's short commit
      //   a1b2c3d matches the merged a1b2c3d4…); P2 08:00 → 14:00 = 21600; P3 09:00 → 10:00 =
      //   3600; P4 12:00 → 16:00 = 14400. Sorted 3600, 7200, 14400, 21600: median (7200 +
      //   14400) / 2 = 10800; p90 is the ceil(0.9 × 4) = 4th, 21600.
      //   failed: P2 (rolled back), P3 (A1's top suspect): 2 / 4.
      //   recovery: P2 14:00 → its rollback 15:00 = 3600; P3 05 10:00 → P4 05 16:00 = 21600;
      //   median (3600 + 21600) / 2 = 12600.
      // Week 2: P5, P6 (P7 is staging).
      //   lead times: P5 from its merge 10 07:00 → 11 09:00 = 93600; P6 06:00 → 09:00 = 10800;
      //   median 52200, p90 the 2nd, 93600.
      //   failed: P5 (A2, named); P6 is not (A3: no change). P5 recovered by P6: 24 h = 86400.
      expect(payments.buckets).toEqual([
        { ...WEEK1, ...figures(4, [4, 10800, 21600], 2, [2, 12600]) },
        { ...WEEK2, ...figures(2, [2, 52200, 93600], 1, [1, 86400]) },
      ]);
      // Both weeks: lead times 3600, 7200, 10800, 14400, 21600, 93600: median (10800 + 14400)
      // / 2 = 12600, p90 the ceil(5.4) = 6th, 93600; failed 3 / 6; recoveries 3600, 21600,
      // 86400: median 21600.
      expect(payments.total).toEqual({
        start: WEEK1.start,
        end: WEEK2.end,
        ...figures(6, [6, 12600, 93600], 3, [3, 21600]),
      });
    });

    it('computes them per team, the owner in the service catalog', async () => {
      const team = await metrics(`team=payments-team&${TWO_WEEKS}`);
      expect(team.scope.services).toEqual(['ledger', 'payments']);
      // Week 1 adds L1, an unplanned deploy, lead time from its merge 09:00 → 11:00 = 7200:
      //   lead times 3600, 7200, 7200, 14400, 21600: median 7200, p90 the 5th, 21600;
      //   failed 2 / 5; recoveries as for payments.
      // Week 2 adds L3, which failed while rolling out: live at its start 11:00, recovered at
      //   its rollback 11:30 = 1800, no lead time; L2 is still rolling out and not counted.
      //   failed P5, L3: 2 / 3; recoveries 1800, 86400: median 44100.
      expect(team.buckets).toEqual([
        { ...WEEK1, ...figures(5, [5, 7200, 21600], 2, [2, 12600]) },
        { ...WEEK2, ...figures(3, [2, 52200, 93600], 2, [2, 44100]) },
      ]);
      const storefront = await metrics(`team=storefront&${TWO_WEEKS}`);
      // C1 04 10:00 → 11:00 = 3600; C2 40 min = 2400 and C3 1 h = 3600: median 3000. Nothing
      // failed: A2 was P5's doing, not C2's.
      expect(storefront.buckets).toEqual([
        { ...WEEK1, ...figures(1, [1, 3600, 3600], 0, [0, null]) },
        { ...WEEK2, ...figures(2, [2, 3000, 3600], 0, [0, null]) },
      ]);
    });

    it('cuts by UTC day, and counts another environment when asked', async () => {
      const daily = await metrics(
        `service=payments&from=${at('04T00:00')}&to=${at('06T00:00')}&bucket=day`,
      );
      // 4 March: P2, lead 21600, rolled back after 3600.
      // 5 March: P3 (3600) and P4 (14400): median 9000, p90 the 2nd, 14400; P3 failed,
      // recovered by P4 after 21600.
      expect(daily.buckets).toEqual([
        {
          start: at('04T00:00'),
          end: at('05T00:00'),
          ...figures(1, [1, 21600, 21600], 1, [1, 3600]),
        },
        {
          start: at('05T00:00'),
          end: at('06T00:00'),
          ...figures(2, [2, 9000, 14400], 1, [1, 21600]),
        },
      ]);
      const staging = await metrics(`service=payments&environment=staging&${TWO_WEEKS}`);
      // P7: 09:30 → 10:00 = 1800
      expect(staging.total).toMatchObject(figures(1, [1, 1800, 1800], 0, [0, null]));
    });

    it('refuses questions it cannot answer', async () => {
      const ask = (query: string) =>
        app.call('GET', `/delivery/metrics?${query}`, { key: KEYS.audrey });
      expect((await ask(`service=payments&team=storefront&${TWO_WEEKS}`)).status).toBe(400);
      expect((await ask(`team=nobody&${TWO_WEEKS}`)).status).toBe(404);
      expect((await ask(`from=${WEEK2.end}&to=${WEEK1.start}`)).status).toBe(400);
      expect((await ask(`from=2029-01-01T00:00:00Z&to=${WEEK2.end}`)).status).toBe(400);
      expect((await ask(`bucket=month`)).status).toBe(400);
      expect((await app.call('GET', '/delivery/metrics')).status).toBe(401);
    });
  });
});

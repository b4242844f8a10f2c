import { whatChangedBefore, type TimelineDeployment, type UpstreamService } from './what-changed';

const ALERT = Date.parse('2031-03-10T12:00:00.000Z');
const minutes = (m: number) => ALERT - m * 60_000;

// checkout → payments → ledger
const UPSTREAM: UpstreamService[] = [
  { service: 'payments', depth: 1, path: ['checkout', 'payments'] },
  { service: 'ledger', depth: 2, path: ['checkout', 'payments', 'ledger'] },
];

function deployment(
  key: string,
  service: string,
  fields: Partial<TimelineDeployment> = {},
): TimelineDeployment {
  return {
    deploymentKey: key,
    service,
    environment: 'production',
    changeId: key,
    title: null,
    unplanned: false,
    version: null,
    commit: null,
    riskLevel: 'low',
    startedAt: minutes(20),
    deployedAt: null,
    rolledBackAt: null,
    ...fields,
  };
}

const ask = (deployments: TimelineDeployment[], windowHours = 4) =>
  whatChangedBefore({ service: 'checkout', at: ALERT, windowHours }, UPSTREAM, deployments);

describe('what changed before an alert', () => {
  it('ranks a direct deploy 10 minutes before above a dependency deploy 5 minutes before', () => {
    const suspects = ask([
      deployment('dependency', 'payments', { startedAt: minutes(6), deployedAt: minutes(5) }),
      deployment('direct', 'checkout', { startedAt: minutes(11), deployedAt: minutes(10) }),
    ]);
    // direct:     0.5^(10/60) × 0.5^0 × low 0.5 × deployed 0.8 = 0.890899 × 0.4 = 0.356359
    // dependency: 0.5^(5/60)  × 0.5^1 × low 0.5 × deployed 0.8 = 0.943874 × 0.2 = 0.188775
    expect(suspects.map((s) => [s.deploymentKey, s.score])).toEqual([
      ['direct', 0.356359],
      ['dependency', 0.188775],
    ]);
    expect(suspects[0]).toMatchObject({
      relation: 'same-service',
      depth: 0,
      path: ['checkout'],
      minutesBefore: 10,
      factors: { proximity: 0.890899, relation: 1, risk: 0.5, state: 0.8 },
      reasons: ['same-service'],
    });
    expect(suspects[1]).toMatchObject({
      relation: 'dependency',
      depth: 1,
      path: ['checkout', 'payments'],
      reasons: ['dependency', 'most-recent'],
    });
  });

  it('says why: still rolling out, rolled back, high risk, unplanned', () => {
    const suspects = ask([
      deployment('rolling', 'ledger', { startedAt: minutes(30), riskLevel: 'high' }),
      deployment('undone', 'payments', {
        startedAt: minutes(200),
        deployedAt: minutes(180),
        rolledBackAt: minutes(120),
      }),
      deployment('unplanned', 'checkout', {
        changeId: null,
        riskLevel: null,
        unplanned: true,
        startedAt: minutes(90),
        deployedAt: minutes(90),
      }),
    ]);
    // unplanned: 0.5^(90/60) × 1    × unassessed 1 × deployed 0.8    = 0.353553 × 0.8 = 0.282843
    // rolling:   0.5^(30/60) × 0.25 × high 1       × rolling-out 1   = 0.707107 × 0.25 = 0.176777
    // undone:    0.5^(120/60) × 0.5 × low 0.5      × rolled-back 0.4 = 0.25 × 0.1      = 0.025
    expect(suspects.map((s) => [s.deploymentKey, s.score, s.reasons])).toEqual([
      ['unplanned', 0.282843, ['same-service', 'unplanned']],
      ['rolling', 0.176777, ['dependency', 'most-recent', 'still-rolling-out', 'high-risk']],
      ['undone', 0.025, ['dependency', 'rolled-back']],
    ]);
    expect(suspects[2]).toMatchObject({
      status: 'rolled-back',
      changedAt: '2031-03-10T10:00:00.000Z',
    });
  });

  it('sees nothing after the moment asked about, and nothing before the window', () => {
    const suspects = ask([
      deployment('five-hours-ago', 'checkout', {
        startedAt: minutes(300),
        deployedAt: minutes(300),
      }),
      deployment('after', 'checkout', { startedAt: minutes(-1) }),
      deployment('finished-after', 'checkout', {
        startedAt: minutes(15),
        deployedAt: minutes(-5),
        rolledBackAt: minutes(-10),
      }),
      deployment('elsewhere', 'search', { startedAt: minutes(1) }),
    ]);
    expect(suspects.map((s) => [s.deploymentKey, s.status, s.deployedAt])).toEqual([
      ['finished-after', 'rolling-out', null],
    ]);
    expect(
      ask([deployment('five-hours-ago', 'checkout', { startedAt: minutes(300) })], 6),
    ).toHaveLength(1);
  });

  it('counts a deployment whose start was before the window but which moved inside it', () => {
    const [suspect] = ask([
      deployment('long', 'checkout', { startedAt: minutes(600), deployedAt: minutes(60) }),
    ]);
    expect(suspect).toMatchObject({ minutesBefore: 60, changedAt: '2031-03-10T11:00:00.000Z' });
  });

  it('includes both window edges', () => {
    const edges = ask([
      deployment('at-start', 'checkout', { startedAt: minutes(240) }),
      deployment('at-alert', 'checkout', { startedAt: ALERT }),
    ]);
    expect(edges.map((s) => [s.deploymentKey, s.minutesBefore])).toEqual([
      ['at-alert', 0],
      ['at-start', 240],
    ]);
  });

  it('breaks ties by the later move, then by service and key, so rankings are stable', () => {
    const same = { startedAt: minutes(10) };
    expect(
      ask([
        deployment('b', 'checkout', same),
        deployment('a', 'checkout', same),
        deployment('c', 'checkout', { startedAt: minutes(20), deployedAt: minutes(10) }),
      ]).map((s) => s.deploymentKey),
    ).toEqual(['a', 'b', 'c']);
  });
});

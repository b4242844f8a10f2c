import {
  deliveryMetrics,
  hasFailed,
  leadTimeSeconds,
  liveAt,
  type DeliveredDeployment,
} from './delivery-metrics';

const HOUR = 3_600_000;
const DAY0 = Date.parse('2031-03-10T00:00:00.000Z');
const h = (hours: number) => DAY0 + hours * HOUR;

function deployment(key: string, fields: Partial<DeliveredDeployment> = {}): DeliveredDeployment {
  return {
    deploymentKey: key,
    service: 'checkout',
    environment: 'production',
    startedAt: h(1),
    deployedAt: h(1),
    rolledBackAt: null,
    requestedAt: null,
    mergedAt: null,
    failedByAlert: false,
    ...fields,
  };
}

const DAY1 = { start: h(0), end: h(24) };
const DAY2 = { start: h(24), end: h(48) };

describe('delivery metrics, the four keys', () => {
  it('goes live at completion, or at its start when rolled back before completing', () => {
    expect(liveAt(deployment('a', { startedAt: h(1), deployedAt: h(2) }))).toBe(h(2));
    expect(liveAt(deployment('b', { deployedAt: null, rolledBackAt: h(3) }))).toBe(h(1));
    expect(liveAt(deployment('c', { deployedAt: null }))).toBeNull();
  });

  it('fails when rolled back or when an alert counts against it', () => {
    expect(hasFailed(deployment('a'))).toBe(false);
    expect(hasFailed(deployment('b', { rolledBackAt: h(5) }))).toBe(true);
    expect(hasFailed(deployment('c', { failedByAlert: true }))).toBe(true);
  });

  it('measures lead time from the merge when known, else from the request', () => {
    expect(leadTimeSeconds(deployment('a', { requestedAt: h(-5), deployedAt: h(1) }))).toBe(
      6 * 3600,
    );
    expect(
      leadTimeSeconds(deployment('b', { requestedAt: h(-5), mergedAt: h(-2), deployedAt: h(1) })),
    ).toBe(3 * 3600);
    expect(leadTimeSeconds(deployment('c'))).toBeNull();
    // A merge recorded after the deploy cannot be its start.
    expect(leadTimeSeconds(deployment('d', { mergedAt: h(2), deployedAt: h(1) }))).toBeNull();
  });

  it('counts per period, and recovers a failure at its rollback or the next good deploy', () => {
    const [day1, day2] = deliveryMetrics(
      [
        // day 1: a ok; b rolled back 30 min after going live; c failed by an alert, recovered by d
        deployment('a', { deployedAt: h(1), requestedAt: h(-1) }),
        deployment('b', { deployedAt: h(2), rolledBackAt: h(2.5), requestedAt: h(0) }),
        deployment('c', { deployedAt: h(3), failedByAlert: true, requestedAt: h(1) }),
        // day 2: d recovers c; e on another service is still rolling out
        deployment('d', { startedAt: h(26), deployedAt: h(27) }),
        deployment('e', { service: 'payments', startedAt: h(30), deployedAt: null }),
      ],
      [DAY1, DAY2],
    );
    expect(day1).toEqual({
      ...DAY1,
      deployments: 3,
      // lead times 2 h, 2 h, 2 h
      leadTime: { count: 3, medianSeconds: 7200, p90Seconds: 7200 },
      changeFailureRate: { failed: 2, deployments: 3, rate: 2 / 3 },
      // b: 30 min to its rollback; c: 24 h from 03:00 to d at 03:00 the next day
      recoveryTime: { failed: 2, recovered: 2, medianSeconds: (1800 + 86400) / 2 },
    });
    expect(day2).toMatchObject({
      deployments: 1,
      leadTime: { count: 0, medianSeconds: null, p90Seconds: null },
      changeFailureRate: { failed: 0, deployments: 1, rate: 0 },
      recoveryTime: { failed: 0, recovered: 0, medianSeconds: null },
    });
  });

  it('recovers only with a good deploy of the same service and environment', () => {
    const [day] = deliveryMetrics(
      [
        deployment('failed', { deployedAt: h(1), failedByAlert: true }),
        deployment('other-service', { service: 'payments', deployedAt: h(2) }),
        deployment('staging', { environment: 'staging', deployedAt: h(3) }),
        deployment('also-failed', { deployedAt: h(4), failedByAlert: true }),
        deployment('good', { deployedAt: h(6) }),
      ],
      [DAY1],
    );
    // failed: 01:00 → 06:00 = 5 h; also-failed: 04:00 → 06:00 = 2 h
    expect(day.recoveryTime).toEqual({ failed: 2, recovered: 2, medianSeconds: (5 + 2) * 1800 });
  });

  it('leaves an unrecovered failure out of the recovery median but in the failure rate', () => {
    const [day] = deliveryMetrics(
      [deployment('failed', { failedByAlert: true }), deployment('ok', { deployedAt: h(0.5) })],
      [DAY1],
    );
    expect(day.changeFailureRate).toEqual({ failed: 1, deployments: 2, rate: 0.5 });
    expect(day.recoveryTime).toEqual({ failed: 1, recovered: 0, medianSeconds: null });
  });
});

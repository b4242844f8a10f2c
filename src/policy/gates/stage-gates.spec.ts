import { DEFAULT_POLICY } from '../fixtures/policies';
import { judgeStage } from './stage-gates';

const gates = DEFAULT_POLICY.document.gates;
const healthy = { errorRate: 0.0005, p99LatencyMs: 230, baselineP99LatencyMs: 200 };

describe('judgeStage (default policy: errors < 0.1 %, p99 +20 % at most, held 15 minutes)', () => {
  it('promotes a stage whose metrics hold every gate after the hold time', () => {
    expect(judgeStage(gates, healthy, 15, [])).toEqual({
      verdict: 'promote',
      reason: 'every gate held',
      checks: [
        { name: 'hold-time', verdict: 'pass', observed: 15, threshold: 15 },
        { name: 'error-rate', verdict: 'pass', observed: 0.0005, threshold: 0.001 },
        { name: 'p99-latency-increase-percent', verdict: 'pass', observed: 15, threshold: 20 },
      ],
    });
  });

  it('halts on an error rate at or above the threshold, with the numbers', () => {
    const verdict = judgeStage(gates, { ...healthy, errorRate: 0.001 }, 20, []);
    expect(verdict.verdict).toBe('halt');
    expect(verdict.reason).toBe('error-rate failed');
    expect(verdict.checks[1]).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      observed: 0.001,
      threshold: 0.001,
    });
  });

  it('halts on p99 latency up by more than 20 %, before the hold time, and on missing figures', () => {
    expect(judgeStage(gates, { ...healthy, p99LatencyMs: 241 }, 20, []).reason).toBe(
      'p99-latency-increase-percent failed',
    );
    expect(judgeStage(gates, healthy, 5, []).reason).toBe('hold-time failed');
    expect(judgeStage(gates, { errorRate: 0 }, 20, []).reason).toBe(
      'p99-latency-increase-percent failed',
    );
  });

  it('halts when a gate the reporter ran itself failed', () => {
    expect(judgeStage(gates, healthy, 20, ['synthetic-checkout'])).toMatchObject({
      verdict: 'halt',
      reason: 'reported gate synthetic-checkout failed',
    });
  });

  it('lets a stage without metrics through unless the policy halts those', () => {
    expect(judgeStage(gates, undefined, 0, [])).toEqual({
      verdict: 'promote',
      checks: [],
      reason: 'no metrics reported: not gated',
    });
    expect(judgeStage({ ...gates, withoutMetrics: 'halt' }, undefined, 0, []).verdict).toBe('halt');
  });
});

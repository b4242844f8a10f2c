import { setTimeout as sleep } from 'node:timers/promises';
import { FollowerLoop, type FollowerTurn } from './follower-loop';

interface Report {
  failures: Array<{ message: string; attempt: number; retryInMs: number }>;
  recoveries: Array<{ attempts: number; failingForMs: number }>;
}

function loopOver(turn: FollowerTurn, maxMs = 40): { loop: FollowerLoop; report: Report } {
  const report: Report = { failures: [], recoveries: [] };
  const loop = new FollowerLoop(turn, {
    backoff: { initialMs: 5, maxMs },
    onFailure: (error, attempt, retryInMs) =>
      report.failures.push({ message: (error as Error).message, attempt, retryInMs }),
    onRecovery: (attempts, failingForMs) => report.recoveries.push({ attempts, failingForMs }),
  });
  return { loop, report };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await sleep(2);
  expect(condition()).toBe(true);
}

describe('FollowerLoop', () => {
  it('retries a failing turn with growing waits until it succeeds, then reports the recovery', async () => {
    let turns = 0;
    const { loop, report } = loopOver(async () => {
      turns++;
      if (turns <= 4) throw new Error(`database unavailable (${turns})`);
      return Promise.resolve(60_000);
    });
    loop.start();
    await until(() => report.recoveries.length === 1);
    await loop.stop();

    expect(report.failures.map(({ message, attempt }) => [message, attempt])).toEqual([
      ['database unavailable (1)', 1],
      ['database unavailable (2)', 2],
      ['database unavailable (3)', 3],
      ['database unavailable (4)', 4],
    ]);
    // 5, 10, 20, 40 ms less up to a fifth at random.
    const waits = report.failures.map(({ retryInMs }) => retryInMs);
    [5, 10, 20, 40].forEach((ceiling, i) => {
      expect(waits[i]).toBeLessThanOrEqual(ceiling);
      expect(waits[i]).toBeGreaterThanOrEqual(ceiling * 0.8 - 1);
    });
    expect(report.recoveries[0].attempts).toBe(4);
    expect(report.recoveries[0].failingForMs).toBeGreaterThanOrEqual(waits[0] + waits[1]);
    expect(turns).toBe(5);
  });

  it('says since when it has been failing and why, and forgets it once a turn succeeds', async () => {
    let failing = true;
    const { loop, report } = loopOver(async () => {
      if (failing) throw new Error('Connection terminated unexpectedly');
      return Promise.resolve(1);
    });
    expect(loop.health()).toEqual({ running: false, failingSince: null, lastError: null });
    const before = Date.now();
    loop.start();
    await until(() => report.failures.length >= 2);
    const failingSince = loop.health().failingSince;
    expect(failingSince?.getTime()).toBeGreaterThanOrEqual(before);
    expect(loop.health()).toMatchObject({
      running: true,
      lastError: 'Connection terminated unexpectedly',
    });
    // The first failure of the run is kept, not the latest.
    await until(() => report.failures.length >= 3);
    expect(loop.health().failingSince).toBe(failingSince);

    failing = false;
    await until(() => loop.health().failingSince === null);
    expect(loop.health().lastError).toBeNull();
    await loop.stop();
    expect(loop.health().running).toBe(false);
  });

  it('takes the next turn at once when a turn says there is more to do', async () => {
    const waits = [0, 0, 0, 60_000];
    let turns = 0;
    const { loop } = loopOver(() => Promise.resolve(waits[turns++] ?? 60_000));
    loop.start();
    await until(() => turns === 4);
    await loop.stop();
    expect(turns).toBe(4);
  });

  it('stops during a wait of an hour, and does not report a turn failing because it stopped', async () => {
    let turns = 0;
    const { loop, report } = loopOver(() => Promise.resolve(turns++ === 0 ? 3_600_000 : 0));
    loop.start();
    await until(() => turns === 1);
    // Resolves at once: the wait is cut short, not sat out.
    await loop.stop();
    expect(turns).toBe(1);

    const { loop: busy, report: busyReport } = loopOver(
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    );
    busy.start();
    await sleep(5);
    await busy.stop();
    expect(busyReport.failures).toEqual([]);
    expect(report.failures).toEqual([]);
  });

  it('can be started again after it stopped', async () => {
    let turns = 0;
    const { loop } = loopOver(() => Promise.resolve((turns++, 60_000)));
    loop.start();
    loop.start();
    await until(() => turns === 1);
    await loop.stop();
    loop.start();
    await until(() => turns === 2);
    await loop.stop();
    expect(turns).toBe(2);
  });
});

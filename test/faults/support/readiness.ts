import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../../kafka/support/kafka-test-kit';
import type { ServiceProcess } from '../../support/service-process';

/** Waits until GET /health answers 200 (ready) or 503 (not ready); fails if the process ends. */
export function readiness(service: ServiceProcess, ready: boolean, timeoutMs: number) {
  const expected = ready ? 200 : 503;
  return waitFor(
    async () => {
      const status = await service.status('/health');
      if (service.exited !== null) throw new Error(`the service ended: ${service.describe()}`);
      return status === expected;
    },
    timeoutMs,
    `GET /health to answer ${expected} (${ready ? 'ready' : 'not ready'})`,
  );
}

/**
 * Records what GET /health answers, every 100 ms, for as long as `during` runs: a test sees
 * whether a fault it caused made the service say it was not ready.
 */
export async function readinessDuring<T>(
  service: ServiceProcess,
  during: Promise<T>,
): Promise<{ result: T; answers: Set<number> }> {
  const answers = new Set<number>();
  let done = false;
  const watching = (async () => {
    while (!done) {
      answers.add(await service.status('/health'));
      await sleep(100);
    }
  })();
  try {
    return { result: await during, answers };
  } finally {
    done = true;
    await watching;
  }
}

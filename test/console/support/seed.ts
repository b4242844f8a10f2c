import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../../src/common/clock';
import { changeRequest } from '../../support/change-requests';
import { KEYS, type ApiClient } from '../../support/running-app';

/** The demo keys and two people they lack: an approver who also requests, an on-call engineer. */
export const PEOPLE = {
  ...KEYS,
  rita: 'rita-console-key', // requester + approver: may approve others' changes, never her own
  olga: 'olga-console-key', // deployer: the on-call engineer who names an alert's cause
} as const;

export function consoleKeysFile(): string {
  const demo = JSON.parse(readFileSync('config/demo-api-keys.json', 'utf8')) as object[];
  const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
  const keys = [
    ...demo,
    { principal: 'rita', roles: ['requester', 'approver'], keySha256: sha256(PEOPLE.rita) },
    { principal: 'olga', roles: ['deployer'], keySha256: sha256(PEOPLE.olga) },
  ];
  const path = join(mkdtempSync(join(tmpdir(), 'change-ledger-console-')), 'keys.json');
  writeFileSync(path, JSON.stringify(keys));
  return path;
}

export interface Seeded {
  /** The change deployed two minutes before the alert: the culprit. */
  readonly culprit: string;
  readonly culpritTitle: string;
  /** Waits for an approver (alice's). */
  readonly awaiting: string;
  readonly awaitingTitle: string;
  /** rita's own change: she may not approve it. */
  readonly ritasOwn: string;
  readonly alertStream: string;
}

/** The application's clock, running in real time from wherever the seed sets it. */
export class ReplayClock extends Clock {
  private offset = 0;

  override now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** Runs on from this many minutes ago (0: now). */
  rewind(minutes: number): void {
    this.offset = -minutes * 60_000;
  }
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/**
 * A small shop on a bad day, recorded as it happened over the last three hours:
 * checkout → payments → ledger-db; an index change on ledger-db rolled back, an unplanned
 * hotfix on checkout, a payments change, then a connection-pool change on checkout rolled out
 * in stages a few minutes before checkout starts failing. Plus changes waiting for approval,
 * and the findings all this leaves.
 */
export async function seed(api: ApiClient, clock: ReplayClock): Promise<Seeded> {
  const ok = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await api.call<Record<string, unknown>>(method, path, { key, body });
    expect([200, 201, 202]).toContain(response.status);
    return response.body;
  };
  const routine = async (title: string, service: string) =>
    (
      await ok('POST', '/changes', PEOPLE.alice, {
        title,
        description: title,
        type: 'standard',
        templateId: 'routine',
        category: 'application',
        services: [service],
        environment: 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
      })
    ).changeId as string;
  let deliveries = 0;
  const deploy = (minutes: number, fields: Record<string, unknown>) => {
    clock.rewind(minutes);
    return ok('POST', '/ingest/generic', PEOPLE.ci, {
      kind: 'deployment',
      id: `console-deploy-${(deliveries += 1)}`,
      environment: 'production',
      occurredAt: minutesAgo(minutes),
      ...fields,
    });
  };

  clock.rewind(190);
  for (const [name, owner, tier, dependsOn] of [
    ['ledger-db', 'data', 1, []],
    ['payments', 'payments', 2, ['ledger-db']],
    ['checkout', 'shop', 2, ['payments']],
  ] as const) {
    await ok('POST', '/services', PEOPLE.root, { name, owner, tier, dependsOn });
  }
  clock.rewind(180);
  const index = await routine('Add an index on ledger entries', 'ledger-db');
  await deploy(170, { phase: 'started', service: 'ledger-db', changeId: index, version: '14.2' });
  await deploy(140, {
    phase: 'rolledback',
    service: 'ledger-db',
    changeId: index,
    version: '14.1',
  });
  await deploy(100, { phase: 'succeeded', service: 'checkout', version: '9.9.9-hotfix' });
  clock.rewind(90);
  const retries = await routine('Payments: retry declined cards once', 'payments');
  await deploy(75, { phase: 'started', service: 'payments', changeId: retries, version: '3.8.0' });
  await deploy(68, {
    phase: 'succeeded',
    service: 'payments',
    changeId: retries,
    version: '3.8.0',
  });

  clock.rewind(40);
  const culpritTitle = 'Raise checkout connection pool to 50';
  const culprit = (
    await ok(
      'POST',
      '/changes',
      PEOPLE.alice,
      changeRequest({ title: culpritTitle, version: '1.4.0' }),
    )
  ).changeId as string;
  clock.rewind(25);
  await ok('POST', `/changes/${culprit}/approvals`, PEOPLE.bob, {
    comment: 'rollback plan tested',
  });
  clock.rewind(9);
  await ok('POST', `/changes/${culprit}/deployments`, PEOPLE.ci, {
    version: '1.4.0',
    commit: 'abc123',
  });
  for (const [minutes, stage, percent] of [
    [7, 'canary', 5],
    [5, 'half', 50],
  ] as const) {
    clock.rewind(minutes);
    await ok('POST', `/changes/${culprit}/deployments/stages`, PEOPLE.ci, {
      stage,
      percent,
      gates: [{ name: 'error-rate', verdict: 'pass', observed: 0.4, threshold: 1 }],
    });
  }
  clock.rewind(3);
  await ok('POST', `/changes/${culprit}/deployed`, PEOPLE.ci, { version: '1.4.0' });

  clock.rewind(0);
  const alertId = `checkout-5xx@${minutesAgo(0)}`;
  await ok('POST', '/ingest/generic', PEOPLE.ci, {
    kind: 'alert',
    id: `${alertId}:firing`,
    occurredAt: minutesAgo(0),
    status: 'firing',
    alertId,
    name: 'Checkout5xx',
    service: 'checkout',
    severity: 'critical',
    environment: 'production',
    summary: 'checkout answers 5xx to 12% of requests',
    startsAt: minutesAgo(0),
  });

  const awaitingTitle = 'Rotate the payments TLS certificates';
  const awaiting = (
    await ok(
      'POST',
      '/changes',
      PEOPLE.alice,
      changeRequest({ title: awaitingTitle, services: ['payments'] }),
    )
  ).changeId as string;
  const ritasOwn = (
    await ok('POST', '/changes', PEOPLE.rita, changeRequest({ title: 'Tune checkout cache TTL' }))
  ).changeId as string;
  // The read models follow the ledger a few milliseconds behind: wait for the alert to show.
  let alertStream: string | undefined;
  for (let i = 0; i < 200 && alertStream === undefined; i++) {
    const alerts = await api.call<{ items: Array<{ streamId: string; alertId: string }> }>(
      'GET',
      '/alerts?service=checkout',
      { key: PEOPLE.audrey },
    );
    alertStream = alerts.body.items.find((a) => a.alertId === alertId)?.streamId;
    if (alertStream === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (alertStream === undefined) throw new Error('the alert never reached the read model');
  return { culprit, culpritTitle, awaiting, awaitingTitle, ritasOwn, alertStream };
}

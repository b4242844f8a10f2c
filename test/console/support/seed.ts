import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/**
 * A small shop on a bad day: checkout → payments → ledger-db; over the last three hours a
 * rolled-back index change, an unplanned hotfix, a payments change, and a connection-pool
 * change rolled out in stages two minutes before checkout starts failing. Plus changes waiting
 * for approval, and the findings all this leaves.
 */
export async function seed(api: ApiClient): Promise<Seeded> {
  const ok = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await api.call<Record<string, unknown>>(method, path, { key, body });
    expect([200, 201, 202]).toContain(response.status);
    return response.body;
  };
  for (const [name, owner, tier, dependsOn] of [
    ['ledger-db', 'data', 1, []],
    ['payments', 'payments', 2, ['ledger-db']],
    ['checkout', 'shop', 2, ['payments']],
  ] as const) {
    await ok('POST', '/services', PEOPLE.root, { name, owner, tier, dependsOn });
  }
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
  const deploy = (fields: Record<string, unknown>) =>
    ok('POST', '/ingest/generic', PEOPLE.ci, {
      kind: 'deployment',
      id: `console-deploy-${(deliveries += 1)}`,
      environment: 'production',
      ...fields,
    });

  const index = await routine('Add an index on ledger entries', 'ledger-db');
  await deploy({
    phase: 'started',
    service: 'ledger-db',
    changeId: index,
    version: '14.2',
    occurredAt: minutesAgo(170),
  });
  await deploy({
    phase: 'rolledback',
    service: 'ledger-db',
    changeId: index,
    version: '14.1',
    occurredAt: minutesAgo(140),
  });
  await deploy({
    phase: 'succeeded',
    service: 'checkout',
    version: '9.9.9-hotfix',
    occurredAt: minutesAgo(100),
  });
  const retries = await routine('Payments: retry declined cards once', 'payments');
  await deploy({
    phase: 'started',
    service: 'payments',
    changeId: retries,
    version: '3.8.0',
    occurredAt: minutesAgo(75),
  });
  await deploy({
    phase: 'succeeded',
    service: 'payments',
    changeId: retries,
    version: '3.8.0',
    occurredAt: minutesAgo(68),
  });

  const culpritTitle = 'Raise checkout connection pool to 50';
  const culprit = (
    await ok(
      'POST',
      '/changes',
      PEOPLE.alice,
      changeRequest({ title: culpritTitle, version: '1.4.0' }),
    )
  ).changeId as string;
  await ok('POST', `/changes/${culprit}/approvals`, PEOPLE.bob, {
    comment: 'rollback plan tested',
  });
  await ok('POST', `/changes/${culprit}/deployments`, PEOPLE.ci, {
    version: '1.4.0',
    commit: 'abc123',
  });
  for (const [stage, percent] of [
    ['canary', 5],
    ['half', 50],
  ] as const) {
    await ok('POST', `/changes/${culprit}/deployments/stages`, PEOPLE.ci, {
      stage,
      percent,
      gates: [{ name: 'error-rate', verdict: 'pass', observed: 0.4, threshold: 1 }],
    });
  }
  await ok('POST', `/changes/${culprit}/deployed`, PEOPLE.ci, { version: '1.4.0' });

  const alertId = `checkout-5xx@${minutesAgo(0)}`;
  await ok('POST', '/ingest/generic', PEOPLE.ci, {
    kind: 'alert',
    id: `${alertId}:firing`,
    occurredAt: new Date(Date.now() + 120_000).toISOString(),
    status: 'firing',
    alertId,
    name: 'Checkout5xx',
    service: 'checkout',
    severity: 'critical',
    environment: 'production',
    summary: 'checkout answers 5xx to 12% of requests',
    startsAt: new Date(Date.now() + 120_000).toISOString(),
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

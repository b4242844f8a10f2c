import { randomUUID } from 'node:crypto';
import type { ExecuteChangeCommandHandler } from '../src/changes/application/execute-change-command.handler';
import { serviceStreamId } from '../src/deployments/domain/service-events';
import type {
  AlertObservation,
  ChangeMergedObservation,
  DeploymentObservation,
  Observation,
} from '../src/ingest/observation';
import { MalformedMessage } from '../src/ingest/observation';
import { alertStreamId } from '../src/alerts/alert-streams';
import type { IngestItem } from '../src/ingest/recording/ingest-item';
import { IngestLedger } from '../src/ingest/recording/ingest-ledger';
import { HISTORY_EVENTS } from '../src/ingest/recording/service-window';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import type { EventStore } from '../src/ledger/event-store';
import { verifyStream } from '../src/ledger/verification/verify-stream';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import { changeCommandHandler } from './support/command-path';
import { createTestDatabase, type TestDatabase } from './support/postgres';

/*
 * The recorder as ingest uses it, on PostgreSQL: a batch written in bulk, exactly once, in
 * order per stream, decided on each service stream's cached recent history, and still right
 * when that cache is behind the store or does not reach back far enough.
 */

let database: TestDatabase;
let sql: PgSqlClient;
let store: EventStore;
let handler: ExecuteChangeCommandHandler;

beforeAll(async () => {
  database = await createTestDatabase('ingest_recording');
  sql = new PgSqlClient({ connectionString: database.connectionString });
  store = await SqlEventStore.open('postgres', sql);
  // The deploy matcher and the command path read the read models: their tables exist, empty.
  handler = await changeCommandHandler(store, sql);
});

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

/** A recorder as one application instance builds it, with its own caches. */
function instance(): IngestLedger {
  return new IngestLedger(store, sql, handler, { ingestMaxFutureSkewSeconds: 300 });
}

const AT = '2025-03-01T12:00:00.000Z';
let sequence = 0;

function deploy(service: string, version: string, sourceId = randomUUID()): DeploymentObservation {
  sequence += 1;
  return {
    kind: 'deployment',
    format: 'generic',
    sourceId,
    occurredAt: new Date(Date.parse(AT) + sequence * 1000).toISOString(),
    phase: 'succeeded',
    service,
    environment: 'production',
    version,
  };
}

function alert(alertId: string, status: 'firing' | 'resolved' = 'firing'): AlertObservation {
  return {
    kind: 'alert',
    format: 'generic',
    sourceId: `${alertId}/${status}`,
    occurredAt: AT,
    status,
    alertId,
    name: 'HighErrorRate',
    service: 'checkout',
    severity: 'critical',
    labels: {},
    startsAt: AT,
  };
}

function merge(target: { service?: string; repository?: string }): ChangeMergedObservation {
  return {
    kind: 'change-merged',
    format: 'generic',
    sourceId: randomUUID(),
    occurredAt: AT,
    commit: 'abcdef1234567',
    ...target,
  };
}

function items(...observations: Observation[]): IngestItem[] {
  return observations.map((observation, i) => ({
    observation,
    origin: {
      source: 'kafka:test',
      correlationId: `test/0/${i}`,
      sender: 'kafka-ingest',
      receivedAt: new Date().toISOString(),
    },
  }));
}

const service = () => `svc-${randomUUID().slice(0, 8)}`;

async function typesOn(streamId: string): Promise<string[]> {
  return (await store.readStream(streamId)).map((e) => e.type);
}

async function expectIntact(streamId: string): Promise<void> {
  expect(verifyStream(streamId, await store.readStream(streamId)).intact).toBe(true);
}

describe('IngestLedger on PostgreSQL', () => {
  it('records a mixed batch once, each stream in the order reported, chains intact', async () => {
    const [a, b] = [service(), service()];
    const alertId = randomUUID();
    const batch = items(
      deploy(a, '1.0.0'),
      alert(alertId),
      deploy(b, '7.0.0'),
      merge({ service: a }),
      deploy(a, '2.0.0'),
      merge({ repository: `repo-${a}` }),
      alert(alertId, 'resolved'),
      // V1, V2, V1 inside one batch: the third deploy sees the two planned before it.
      deploy(a, '1.0.0'),
    );
    const outcome = await instance().record(batch);
    // Unmatched deploys bring a finding each; the return to 1.0.0 a rollback and no finding.
    expect(outcome).toEqual({ recorded: 12, alreadyRecorded: 0 });

    expect(await typesOn(serviceStreamId(a))).toEqual([
      'DeploymentObserved',
      'UnplannedDeploymentDetected',
      'ChangeMerged',
      'DeploymentObserved',
      'UnplannedDeploymentDetected',
      'DeploymentObserved',
      'RollbackDetected',
    ]);
    const [, , , , , observed, rollback] = await store.readStream(serviceStreamId(a));
    expect(observed.data).toMatchObject({ phase: 'rolledback', version: '1.0.0' });
    expect(rollback.data).toMatchObject({ fromVersion: '2.0.0', toVersion: '1.0.0' });
    expect(await typesOn(alertStreamId(alertId))).toEqual(['AlertFired', 'AlertResolved']);
    expect(await typesOn(`repository-repo-${a}`)).toEqual(['ChangeMerged']);
    for (const streamId of [serviceStreamId(a), serviceStreamId(b), alertStreamId(alertId)]) {
      await expectIntact(streamId);
    }

    // Redelivered, to this instance and to a fresh one (no cache): nothing new is written.
    for (const recorder of [instance(), instance()]) {
      expect(await recorder.record(batch)).toEqual({ recorded: 0, alreadyRecorded: 8 });
    }
    expect(await store.readStream(serviceStreamId(a))).toHaveLength(7);
    expect(await store.readStream(alertStreamId(alertId))).toHaveLength(2);
  });

  it('counts an observation delivered twice in one batch once', async () => {
    const a = service();
    const twice = deploy(a, '1.0.0');
    const outcome = await instance().record(items(twice, alert(randomUUID()), twice));
    expect(outcome).toEqual({ recorded: 3, alreadyRecorded: 1 });
    expect(await typesOn(serviceStreamId(a))).toEqual([
      'DeploymentObserved',
      'UnplannedDeploymentDetected',
    ]);
  });

  it('decides on what another instance appended since its cache was filled', async () => {
    const a = service();
    const [first, second] = [instance(), instance()];
    await first.record(items(deploy(a, '1.0.0')));
    await second.record(items(deploy(a, '2.0.0')));
    // The first instance's cached window still ends at 1.0.0: its plan is refused by the
    // store, re-made on the stream as it is, and the deploy seen as a return to 1.0.0.
    expect(await first.record(items(deploy(a, '1.0.0')))).toEqual({
      recorded: 2,
      alreadyRecorded: 0,
    });
    const events = await store.readStream(serviceStreamId(a));
    expect(events.map((e) => e.type).slice(-2)).toEqual(['DeploymentObserved', 'RollbackDetected']);
    expect(events.at(-1)?.data).toMatchObject({ fromVersion: '2.0.0', toVersion: '1.0.0' });
    await expectIntact(serviceStreamId(a));
  });

  it('knows a deploy is recorded when it lies further back than any window reaches', async () => {
    const a = service();
    const old = deploy(a, '1.0.0');
    await instance().record(items(old));
    // More merges since than the window holds.
    const merges = Array.from({ length: HISTORY_EVENTS + 10 }, () => merge({ service: a }));
    const recorder = instance();
    await recorder.record(items(...merges));
    const before = await store.readStream(serviceStreamId(a));

    // Redelivered to the instance whose window moved past it, and to a fresh instance.
    for (const again of [recorder, instance()]) {
      expect(await again.record(items(old))).toEqual({ recorded: 0, alreadyRecorded: 1 });
    }
    // A merge from that far back too.
    expect(await recorder.record(items(merges[0]))).toEqual({ recorded: 0, alreadyRecorded: 1 });
    expect(await store.readStream(serviceStreamId(a))).toHaveLength(before.length);

    // A new deploy is still recorded, decided on the last HISTORY_EVENTS events.
    expect(await recorder.record(items(deploy(a, '2.0.0')))).toEqual({
      recorded: 2,
      alreadyRecorded: 0,
    });
    await expectIntact(serviceStreamId(a));
  });

  it('refuses a malformed observation before writing anything of its batch', async () => {
    const alertId = randomUUID();
    const a = service();
    const batch = items(alert(alertId), deploy(a, '1.0.0'), merge({}));
    await expect(instance().record(batch)).rejects.toBeInstanceOf(MalformedMessage);
    expect(await store.readStream(alertStreamId(alertId))).toEqual([]);
    expect(await store.readStream(serviceStreamId(a))).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { EVENT_STORE, type EventStore } from '../../src/ledger/event-store';
import type { RecordedEvent } from '../../src/ledger/ledger-event';
import { verifyLog } from '../../src/ledger/verification/verify-log';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { KEYS, RunningApp } from '../support/running-app';
import {
  TEST_BROKERS,
  committedOffsets,
  createTopics,
  highWatermarks,
  produce,
  readTopic,
  testKafka,
  uniqueName,
  waitFor,
} from './support/kafka-test-kit';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'src', 'ingest', 'formats', 'fixtures', name), 'utf8');

/** The whole path: messages produced to a real broker, the service's consumers, the ledger. */
describe('Kafka ingest end to end, into the ledger on PostgreSQL', () => {
  const kafka: Kafka = testKafka('ingest-e2e');
  const topics = {
    cdevents: uniqueName('cdevents'),
    alertmanager: uniqueName('alertmanager'),
    github: uniqueName('github'),
    generic: uniqueName('generic'),
    dlq: uniqueName('dlq'),
    ledger: uniqueName('ledger'),
  };
  let db: TestDatabase;
  let app: RunningApp;
  let store: EventStore;
  const env = (groupId: string) => ({
    EVENT_STORE: 'postgres',
    DATABASE_URL: db.connectionString,
    KAFKA_BROKERS: TEST_BROKERS.join(','),
    KAFKA_GROUP_ID: groupId,
    KAFKA_INGEST_TOPICS: (['cdevents', 'alertmanager', 'github', 'generic'] as const)
      .map((format) => `${topics[format]}=${format}`)
      .join(','),
    KAFKA_DLQ_TOPIC: topics.dlq,
    KAFKA_LEDGER_TOPIC: topics.ledger,
    // One checkpoint only, the one signed at start: the topic's count is known.
    LEDGER_CHECKPOINT_EVENTS: '10000000',
    LEDGER_CHECKPOINT_SECONDS: '86400',
  });
  const ledger = async (): Promise<RecordedEvent[]> => {
    const all: RecordedEvent[] = [];
    for (let page = await store.readAll(null, 1000); page.length > 0;) {
      all.push(...page);
      page = await store.readAll(page[page.length - 1].position, 1000);
    }
    return all;
  };

  beforeAll(async () => {
    await createTopics(kafka, Object.values(topics), 2);
    db = await createTestDatabase('kafka-e2e');
    app = await RunningApp.start(env(uniqueName('group')));
    store = app.app.get<EventStore>(EVENT_STORE);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('records every format from the topics, matches the deploy to its change, and dead-letters garbage', async () => {
    const service = `svc-${randomUUID().slice(0, 8)}`;
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: {
        title: 'Ship over Kafka',
        description: 'e2e',
        type: 'normal',
        category: 'application',
        services: [service],
        environment: 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
        externalRefs: { commit: 'c0ffee1234' },
      },
    });
    const { changeId } = created.body;
    await app.call('POST', `/changes/${changeId}/approvals`, { key: KEYS.bob, body: {} });
    await waitFor(
      async () =>
        (
          await app.call<{ items: unknown[] }>(
            'GET',
            `/changes?service=${service}&status=approved`,
            {
              key: KEYS.audrey,
            },
          )
        ).body.items.length === 1,
      10_000,
      'the approved change in the catalog',
    );

    const deploy = JSON.stringify({
      kind: 'deployment',
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      phase: 'succeeded',
      service,
      environment: 'production',
      version: '1.0.0',
      commit: 'c0ffee1',
    });
    await produce(kafka, topics.generic, [
      { key: service, value: 'not json at all' },
      { key: service, value: deploy },
    ]);
    await produce(kafka, topics.alertmanager, [{ value: fixture('alertmanager-group.json') }]);
    await produce(kafka, topics.cdevents, [
      { value: fixture('cdevents-service-deployed.structured.json') },
    ]);
    await produce(kafka, topics.github, [
      { value: fixture('github-deployment-status-success.json') },
    ]);

    await waitFor(
      async () => {
        const view = await app.call<{ status: string }>('GET', `/changes/${changeId}`, {
          key: KEYS.audrey,
        });
        return view.body.status === 'deployed';
      },
      60_000,
      'the change deployed from the generic topic',
    );
    const [dead] = await readTopic(kafka, topics.dlq, 1);
    expect(dead.value?.toString()).toBe('not json at all');
    expect(dead.headers?.['x-original-topic']?.toString()).toBe(topics.generic);
    expect(dead.headers?.['x-dlq-reason']?.toString()).toContain('JSON');

    await waitFor(
      async () => {
        const events = await ledger();
        return (
          events.filter((e) => e.streamId.startsWith('alert-')).length === 2 &&
          events.filter((e) => e.type === 'DeploymentObserved').length === 3
        );
      },
      60_000,
      'both alerts and the three deploys (generic, CDEvents, GitHub) in the ledger',
    );
    const deployed = (await ledger()).filter((e) => e.type === 'DeploymentObserved');
    expect(deployed.map((e) => e.metadata.source).sort()).toEqual(
      [`kafka:${topics.cdevents}`, `kafka:${topics.generic}`, `kafka:${topics.github}`].sort(),
    );
    expect(deployed.find((e) => e.streamId === `service-${service}`)?.data).toMatchObject({
      changeId,
      matchedBy: 'commit',
    });
  });

  it('publishes every ledger event and the signed checkpoint to the ledger topic', async () => {
    const events = await ledger();
    const published = await readTopic(kafka, topics.ledger, events.length + 1, 60_000);
    const ids = new Set(published.map((m) => m.headers?.eventId?.toString()));
    for (const event of events) expect(ids.has(event.eventId)).toBe(true);
    const sample = published.find((m) => m.headers?.eventId?.toString() === events[0].eventId);
    expect(sample?.key?.toString()).toBe(events[0].streamId);
    const checkpoints = published.filter((m) => m.headers?.type?.toString() === 'LedgerCheckpoint');
    expect(checkpoints).toHaveLength(1);
    // Signed at start: the empty log, or the log holding only the policy loaded at start.
    const size = checkpoints[0].headers?.treeSize?.toString() ?? '';
    expect(['0', '1']).toContain(size);
    expect(checkpoints[0].value?.toString()).toMatch(
      new RegExp(`^localhost/change-ledger\\n${size}\\n`),
    );
  });

  it('changes nothing when the topics are replayed from offset 0 by a new consumer group', async () => {
    const before = await ledger();
    const group = uniqueName('replay');
    const replay = await RunningApp.start({ ...env(group), KAFKA_OUTBOX: 'false' });
    try {
      for (const topic of [topics.generic, topics.alertmanager, topics.cdevents, topics.github]) {
        const ends = await highWatermarks(kafka, topic);
        await waitFor(
          // An empty partition has nothing to commit.
          async () =>
            (await committedOffsets(kafka, group, topic)).every(
              (o, i) => ends[i] === 0 || o === ends[i],
            ),
          60_000,
          `the replaying group at the end of ${topic}`,
        );
      }
    } finally {
      await replay.close();
    }
    const after = await ledger();
    expect(after.map((e) => e.eventId)).toEqual(before.map((e) => e.eventId));
    expect(await verifyLog(store)).toMatchObject({ intact: true, events: after.length });
  });
});

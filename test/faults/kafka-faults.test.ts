import { Kafka, logLevel } from 'kafkajs';
import { KafkaBroker } from '../support/kafka-broker';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { readiness, readinessDuring } from './support/readiness';
import { ServiceUnderLoad } from './support/service-under-load';

/**
 * The service ingesting from, and publishing its outbox to, a Kafka broker of the test's own,
 * reached through a proxy the test can cut, while the broker is restarted and the network to
 * it dropped. The shared broker is never touched.
 */
describe('the Kafka broker restarted and cut off under load', () => {
  let broker: KafkaBroker;
  let db: TestDatabase;
  let loaded: ServiceUnderLoad;

  beforeAll(async () => {
    [broker, db] = await Promise.all([KafkaBroker.start(), createTestDatabase('kafka-faults')]);
    loaded = await ServiceUnderLoad.start({
      kafka: new Kafka({
        clientId: 'kafka-faults',
        brokers: [broker.bootstrap],
        logLevel: logLevel.NOTHING,
      }),
      brokers: broker.bootstrap,
      databaseUrl: db.connectionString,
      factsUrl: db.connectionString,
      // A member lost in the restart holds its partitions this long: keep the wait short.
      env: { KAFKA_SESSION_TIMEOUT_MS: '8000' },
    });
  });

  afterAll(async () => {
    await loaded?.close();
    await broker?.destroy();
    await db?.drop();
  });

  it('stays up, says when it is not ready, and ingests and publishes everything once it is back', async () => {
    const { service, commands } = loaded;
    await loaded.load();

    const { answers } = await readinessDuring(service, broker.restart());
    expect(answers).toContain(503);
    await loaded.recovered('a broker restart');

    broker.proxy.cut();
    await readiness(service, false, 30_000);
    broker.proxy.restore();
    await loaded.recovered('a network drop');

    await loaded.stopLoad();
    // The API does not need Kafka: no command met the outage.
    expect(commands.retried).toBe(0);
    await loaded.expectNothingLostOrDoubled();
  });
});

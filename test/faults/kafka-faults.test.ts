import { Kafka, logLevel } from 'kafkajs';
import { KafkaBroker } from '../support/kafka-broker';
import { PostgresCluster } from '../support/postgres-cluster';
import { readiness, readinessDuring } from './support/readiness';
import { ServiceUnderLoad } from './support/service-under-load';

/**
 * The service ingesting from, and publishing its outbox to, a Kafka broker of the test's own,
 * reached through a proxy the test can cut, while the broker is restarted and the network to
 * it dropped. The shared broker is never touched.
 */
describe('the Kafka broker restarted and cut off under load', () => {
  let broker: KafkaBroker;
  let cluster: PostgresCluster;
  let loaded: ServiceUnderLoad;

  beforeAll(async () => {
    // A server of its own too: the load here must not hold back the shared server's feed
    // (the feed is read below the oldest transaction running anywhere on the server).
    [broker, cluster] = await Promise.all([KafkaBroker.start(), PostgresCluster.create()]);
    loaded = await ServiceUnderLoad.start({
      kafka: new Kafka({
        clientId: 'kafka-faults',
        brokers: [broker.bootstrap],
        logLevel: logLevel.NOTHING,
      }),
      brokers: broker.bootstrap,
      databaseUrl: cluster.url(),
      factsUrl: cluster.url(),
      // A member lost in the restart holds its partitions this long: keep the wait short.
      env: { KAFKA_SESSION_TIMEOUT_MS: '8000' },
    });
  });

  afterAll(async () => {
    await loaded?.close();
    await broker?.destroy();
    await cluster?.destroy();
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

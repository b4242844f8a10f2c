import { TEST_BROKERS, testKafka, waitFor } from '../kafka/support/kafka-test-kit';
import { PostgresCluster } from '../support/postgres-cluster';
import { TcpProxy } from '../support/tcp-proxy';
import { readiness } from './support/readiness';
import { ServiceUnderLoad } from './support/service-under-load';

/**
 * The service on a PostgreSQL server of the test's own, reached through a proxy the test can
 * cut, taking API commands and ingesting deploys from Kafka while the server is restarted
 * (fast: every session ended with 57P01; immediate: crashed and recovered) and the network to
 * it dropped. The process must live through all of it and lose and double nothing.
 */
describe('PostgreSQL restarted and cut off under load', () => {
  let cluster: PostgresCluster;
  let proxy: TcpProxy;
  let loaded: ServiceUnderLoad;

  beforeAll(async () => {
    cluster = await PostgresCluster.create();
    proxy = await TcpProxy.start(cluster.port);
    loaded = await ServiceUnderLoad.start({
      kafka: testKafka('postgres-faults'),
      brokers: TEST_BROKERS.join(','),
      databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
      factsUrl: cluster.url(),
      env: { DATABASE_CONNECT_TIMEOUT_MS: '2000' },
    });
  });

  afterAll(async () => {
    await loaded?.close();
    await proxy?.close();
    await cluster?.destroy();
  });

  it('stays up, says when it is not ready, and records every acknowledged command and message once', async () => {
    const { service, commands } = loaded;
    await loaded.load();

    for (const mode of ['fast', 'immediate'] as const) {
      await cluster.restart(mode, () => readiness(service, false, 30_000));
      await loaded.recovered(`a restart -m ${mode}`);
    }

    proxy.cut();
    await readiness(service, false, 30_000);
    const retriedAtCut = commands.retried;
    await waitFor(() => commands.retried > retriedAtCut, 30_000, 'a client to meet the drop');
    proxy.restore();
    await loaded.recovered('a network drop');

    await loaded.stopLoad();
    // The clients met the outages, and were answered 503 or not at all, never anything else.
    expect(commands.retried).toBeGreaterThan(0);
    await loaded.expectNothingLostOrDoubled();
    // Each lost connection was reported, none left to end the process.
    expect(service.lines.some((line) => /PostgreSQL connection lost/.test(line.msg))).toBe(true);
  });
});

import type { Kafka } from 'kafkajs';
import {
  createTopics,
  readTopicUntil,
  uniqueName,
  waitFor,
} from '../../kafka/support/kafka-test-kit';
import { KEYS } from '../../support/running-app';
import { ServiceProcess } from '../../support/service-process';
import { CommandLoad } from './command-load';
import { DeployLoad } from './deploy-load';
import { LedgerFacts } from './ledger-facts';
import { readiness } from './readiness';

export interface ServiceUnderLoadOptions {
  /** The test's client of the brokers the service uses (topics are created with it). */
  readonly kafka: Kafka;
  readonly brokers: string;
  /** How the service reaches its database. */
  readonly databaseUrl: string;
  /** How the test reads the same database (not through anything it cuts). */
  readonly factsUrl: string;
  /** More settings for the service. */
  readonly env: Record<string, string>;
}

/**
 * The service in a process of its own on PostgreSQL and Kafka (topics of its own), with API
 * clients taking commands and a CI system producing deploys while the test breaks things, and
 * the checks that must hold afterwards.
 */
export class ServiceUnderLoad {
  private constructor(
    readonly service: ServiceProcess,
    readonly facts: LedgerFacts,
    readonly commands: CommandLoad,
    readonly deploys: DeployLoad,
    private readonly kafka: Kafka,
    private readonly ledgerTopic: string,
  ) {}

  static async start(options: ServiceUnderLoadOptions): Promise<ServiceUnderLoad> {
    const topics = {
      deploys: uniqueName('deploys'),
      dlq: uniqueName('dlq'),
      ledger: uniqueName('ledger'),
    };
    await createTopics(options.kafka, Object.values(topics));
    const service = await ServiceProcess.start({
      EVENT_STORE: 'postgres',
      DATABASE_URL: options.databaseUrl,
      RETRY_BACKOFF_MAX_MS: '1000',
      KAFKA_BROKERS: options.brokers,
      KAFKA_GROUP_ID: uniqueName('group'),
      KAFKA_INGEST_TOPICS: `${topics.deploys}=generic`,
      KAFKA_DLQ_TOPIC: topics.dlq,
      KAFKA_LEDGER_TOPIC: topics.ledger,
      ...options.env,
    });
    return new ServiceUnderLoad(
      service,
      new LedgerFacts(options.factsUrl),
      new CommandLoad((method, path, call) => service.call(method, path, call), 'checkout'),
      new DeployLoad(options.kafka, topics.deploys, uniqueName('ci')),
      options.kafka,
      topics.ledger,
    );
  }

  /** Starts the clients and waits until commands are acknowledged and deploys recorded. */
  async load(): Promise<void> {
    this.commands.start(3);
    await this.deploys.start();
    await waitFor(
      async () =>
        this.commands.approved.size >= 3 && (await this.facts.observedDeployments()).size >= 30,
      60_000,
      'commands acknowledged and deploys recorded',
    );
  }

  /**
   * Waits until the service says it is ready again, then until commands are acknowledged,
   * deploys recorded and ledger events published again: every part resumed.
   */
  async recovered(fault: string): Promise<void> {
    await readiness(this.service, true, 90_000);
    const before = await this.progress();
    await waitFor(
      async () => {
        const now = await this.progress();
        return (
          now.approved > before.approved &&
          now.ingested > before.ingested &&
          now.published > before.published
        );
      },
      90_000,
      `commands, ingest and the outbox all moving again after ${fault}`,
    );
  }

  /** Lets the clients finish what they hold (acknowledged), then stops them. */
  async stopLoad(): Promise<void> {
    await this.commands.stop();
    await this.deploys.stop();
  }

  /**
   * Once the load has stopped: every acknowledged deploy recorded exactly once, every
   * acknowledged change requested and approved exactly once, every read model and the outbox
   * caught up, the hash chain intact, and the process alive with nothing unhandled.
   */
  async expectNothingLostOrDoubled(): Promise<void> {
    const { facts, commands, deploys, service } = this;
    expect(commands.unexpected).toEqual([]);

    // The producer may have sent some messages twice; each is recorded once.
    const acknowledged = new Set(deploys.acknowledged);
    await waitFor(
      async () => (await facts.observedDeployments()).size >= acknowledged.size,
      90_000,
      `all ${acknowledged.size} acknowledged deploys recorded`,
    );
    const observed = await facts.observedDeployments();
    expect([...observed.keys()].sort()).toEqual([...acknowledged].sort());
    expect([...observed.values()].every((count) => count === 1)).toBe(true);

    const approved = [...commands.approved].map((id) => `change-${id}`).sort();
    for (const type of ['ChangeRequested', 'ApprovalGranted']) {
      const perStream = await facts.perStream(type, 'change-');
      expect({ type, streams: [...perStream.keys()].sort() }).toEqual({ type, streams: approved });
      expect([...perStream.values()].every((count) => count === 1)).toBe(true);
    }

    await facts.readModelsCaughtUp(60_000);
    const catalog = await facts.approvedInCatalog();
    expect([...commands.approved].filter((id) => !catalog.has(id))).toEqual([]);
    const ledgerIds = await facts.eventIds();
    await readTopicUntil(
      this.kafka,
      this.ledgerTopic,
      (read) => {
        const published = new Set(read.map((message) => message.headers?.eventId?.toString()));
        return ledgerIds.every((id) => published.has(id));
      },
      60_000,
      `all ${ledgerIds.length} ledger events on the outbox topic`,
    );

    // Nothing writes any more: the chain recomputes over the whole log.
    const verdict = await service.call('GET', '/ledger/verify', { key: KEYS.audrey });
    expect(verdict).toMatchObject({
      status: 200,
      body: { intact: true, events: ledgerIds.length },
    });
    expect(service.lines.filter((line) => /unhandled/i.test(line.msg))).toEqual([]);
    expect(service.exited).toBeNull();
  }

  /** Stops everything at once (a test that failed half-way included). */
  async close(): Promise<void> {
    await this.commands.abandon();
    await this.deploys.abandon();
    await this.facts.close();
    await this.service.stop();
  }

  private async progress() {
    return {
      approved: this.commands.approved.size,
      ingested: (await this.facts.observedDeployments()).size,
      published: await this.facts.outboxEvents(),
    };
  }
}

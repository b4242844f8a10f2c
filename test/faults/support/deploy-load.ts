import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * A CI system reporting deploys to a Kafka topic while a test breaks things: batches of
 * generic deployment messages, each batch sent again until the brokers acknowledge it (so a
 * message may reach the topic twice, as with any retrying producer). Deploy ids are unique and
 * versions only go up, so every acknowledged message must be recorded exactly once.
 */
export class DeployLoad {
  /** Deploy ids the brokers acknowledged. */
  readonly acknowledged: string[] = [];
  private running = false;
  private abandoned = false;
  private loop: Promise<void> = Promise.resolve();
  private producer: Producer | null = null;
  private sent = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly label: string,
  ) {}

  async start(batchSize = 10, pauseMs = 100): Promise<void> {
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await this.producer.connect();
    this.running = true;
    this.loop = this.produce(this.producer, batchSize, pauseMs);
  }

  /** Stops after the batch in hand is acknowledged. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.producer?.disconnect();
  }

  /** Stops at once, acknowledged or not (a test that already failed, cleaning up). */
  async abandon(): Promise<void> {
    this.abandoned = true;
    await this.stop();
  }

  private async produce(producer: Producer, batchSize: number, pauseMs: number): Promise<void> {
    while (this.running) {
      const batch = Array.from({ length: batchSize }, () => this.next());
      for (;;) {
        try {
          await producer.send({ topic: this.topic, acks: -1, messages: batch });
          this.acknowledged.push(...batch.map((message) => message.key));
          break;
        } catch {
          if (this.abandoned) return;
          await sleep(200);
        }
      }
      await sleep(pauseMs);
    }
  }

  private next(): { key: string; value: string } {
    const n = this.sent++;
    const id = `${this.label}-${n}`;
    return {
      key: id,
      value: JSON.stringify({
        kind: 'deployment',
        id,
        deploymentId: id,
        occurredAt: new Date().toISOString(),
        phase: 'succeeded',
        service: `${this.label}-svc-${n % 5}`,
        environment: 'production',
        version: `1.0.${n}`,
      }),
    };
  }
}

import { Partitioners, type Kafka, type Producer, type ProducerRecord } from 'kafkajs';

/** One producer's life: connecting, then connected until a send fails. */
interface Slot {
  readonly producer: Promise<Producer>;
}

/**
 * An idempotent kafkajs producer that is replaced after a failed send. kafkajs reconnects a
 * producer by itself for most failures, but a send cut off by a broker restart or a network
 * drop can leave an idempotent producer with sequence numbers the brokers refuse for good;
 * a fresh producer (a new producer id) starts clean. The caller retries the send, so what was
 * not acknowledged is sent again: at least once, never lost.
 */
export class ReconnectingProducer {
  private slot: Slot | null = null;

  constructor(private readonly kafka: Kafka) {}

  /** Connects now, so that start-up fails when the brokers cannot be reached at all. */
  async connect(): Promise<void> {
    await this.acquire().producer;
  }

  /** Sends with acks from every in-sync replica; on failure the next send uses a new producer. */
  async send(record: Omit<ProducerRecord, 'acks'>): Promise<void> {
    const slot = this.acquire();
    const producer = await slot.producer;
    try {
      await producer.send({ ...record, acks: -1 });
    } catch (error) {
      if (this.slot === slot) this.slot = null;
      // Whatever it still holds is of no use; closing it must not hold up the retry.
      void producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    const slot = this.slot;
    this.slot = null;
    const producer = await slot?.producer.catch(() => null);
    await producer?.disconnect();
  }

  /** The producer to use: the current one, or a new one (shared by concurrent senders). */
  private acquire(): Slot {
    if (this.slot !== null) return this.slot;
    const slot: Slot = { producer: this.open() };
    this.slot = slot;
    slot.producer.catch(() => {
      if (this.slot === slot) this.slot = null;
    });
    return slot;
  }

  private async open(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return producer;
  }
}

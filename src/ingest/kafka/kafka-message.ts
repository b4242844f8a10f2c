import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { InboundMessage } from '../observation';

/** A Kafka record as the normalizers see it: header names lower-cased, values as UTF-8 text. */
export function toInboundMessage(message: KafkaMessage): InboundMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    // A repeated header arrives as an array; join it as HTTP does.
    const values = Array.isArray(value) ? value : [value];
    headers[name.toLowerCase()] = values.map((part) => part.toString()).join(', ');
  }
  return { body: message.value ?? Buffer.alloc(0), headers };
}

export interface DeadLetterOrigin {
  readonly topic: string;
  readonly partition: number;
  /** Why, in words an operator can act on: the normalizer's or the ledger's reason. */
  readonly reason: string;
  readonly at: Date;
}

/**
 * The original record, byte for byte (key, value, its own headers), plus where it came from
 * and why it was refused, so it can be inspected and replayed once the cause is fixed.
 */
export function deadLetterMessage(message: KafkaMessage, origin: DeadLetterOrigin): Message {
  const headers: IHeaders = { ...message.headers };
  headers['x-dlq-reason'] = origin.reason;
  headers['x-original-topic'] = origin.topic;
  headers['x-original-partition'] = String(origin.partition);
  headers['x-original-offset'] = message.offset;
  headers['x-dlq-at'] = origin.at.toISOString();
  return { key: message.key, value: message.value, headers };
}

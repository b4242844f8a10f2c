import type { KafkaMessage } from 'kafkajs';
import { deadLetterMessage, toInboundMessage } from './kafka-message';

function record(overrides: Partial<KafkaMessage>): KafkaMessage {
  return {
    key: Buffer.from('k'),
    value: Buffer.from('{"a":1}'),
    timestamp: '1715680000000',
    attributes: 0,
    offset: '41',
    headers: {},
    ...overrides,
  } as KafkaMessage;
}

describe('toInboundMessage', () => {
  it('lower-cases header names, decodes values as UTF-8 and joins repeated headers', () => {
    const inbound = toInboundMessage(
      record({
        headers: {
          CE_SpecVersion: Buffer.from('1.0'),
          ce_type: 'dev.cdevents.service.deployed.0.2.0',
          Trace: [Buffer.from('a'), 'b'],
          absent: undefined,
        },
      }),
    );
    expect(inbound.headers).toEqual({
      ce_specversion: '1.0',
      ce_type: 'dev.cdevents.service.deployed.0.2.0',
      trace: 'a, b',
    });
    expect(inbound.body.toString()).toBe('{"a":1}');
  });

  it('gives a tombstone (null value) an empty body, which every normalizer refuses', () => {
    expect(toInboundMessage(record({ value: null })).body).toHaveLength(0);
  });
});

describe('deadLetterMessage', () => {
  it('keeps key, value and headers and adds where it came from and why', () => {
    const original = record({ headers: { 'content-type': 'application/json' } });
    const dead = deadLetterMessage(original, {
      topic: 'ops.events',
      partition: 2,
      reason: 'kind: must be one of: deployment, alert',
      at: new Date('2024-05-14T10:00:00Z'),
    });
    expect(dead).toEqual({
      key: original.key,
      value: original.value,
      headers: {
        'content-type': 'application/json',
        'x-dlq-reason': 'kind: must be one of: deployment, alert',
        'x-original-topic': 'ops.events',
        'x-original-partition': '2',
        'x-original-offset': '41',
        'x-dlq-at': '2024-05-14T10:00:00.000Z',
      },
    });
  });
});

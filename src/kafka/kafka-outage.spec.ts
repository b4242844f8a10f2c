import { isKafkaOutage } from './kafka-outage';

/** An error as kafkajs builds them: a name, a retriable flag, and what it wraps as its cause. */
function kafkaError(name: string, retriable: boolean, cause?: Error): Error {
  return Object.assign(new Error(cause?.message ?? name, { cause }), { name, retriable });
}

describe('isKafkaOutage', () => {
  const closed = kafkaError('KafkaJSConnectionClosedError', true);

  it('counts the brokers being away, however kafkajs wrapped it', () => {
    expect(isKafkaOutage(closed)).toBe(true);
    expect(isKafkaOutage(kafkaError('KafkaJSConnectionError', true))).toBe(true);
    expect(isKafkaOutage(kafkaError('KafkaJSNoBrokerAvailableError', true))).toBe(true);
    // What the retrier throws once its retries are spent: the real failure is the cause.
    expect(isKafkaOutage(kafkaError('KafkaJSNonRetriableError', false, closed))).toBe(true);
    expect(isKafkaOutage(kafkaError('KafkaJSNumberOfRetriesExceeded', false, closed))).toBe(true);
    // "Not the leader for that topic-partition": retriable by the protocol.
    expect(isKafkaOutage(kafkaError('KafkaJSProtocolError', true))).toBe(true);
  });

  it('leaves refusals and bugs alone', () => {
    expect(isKafkaOutage(kafkaError('KafkaJSNonRetriableError', false))).toBe(false);
    // TOPIC_AUTHORIZATION_FAILED: no retry changes it.
    expect(isKafkaOutage(kafkaError('KafkaJSProtocolError', false))).toBe(false);
    expect(isKafkaOutage(kafkaError('KafkaJSNonRetriableError', false, new TypeError('x')))).toBe(
      false,
    );
    expect(isKafkaOutage(new TypeError('x is undefined'))).toBe(false);
    expect(isKafkaOutage('Closed connection')).toBe(false);
  });
});

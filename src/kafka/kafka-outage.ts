/**
 * kafkajs errors that say the brokers could not be reached or answered "not now" (a restart,
 * a leader moving, a network drop), however kafkajs wrapped them: the retrier wraps the last
 * failure as non-retriable once its own retries are spent, with the real one as the cause.
 */
const OUTAGE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
]);

/** Whether a failure is Kafka being away, to be waited out, rather than a bug. */
export function isKafkaOutage(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 10; depth++) {
    if (OUTAGE_NAMES.has(cause.name) || (cause as { retriable?: unknown }).retriable === true) {
      return true;
    }
    cause = cause.cause;
  }
  return false;
}

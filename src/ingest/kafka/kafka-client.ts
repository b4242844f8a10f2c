import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaConfig } from './kafka-config';

const KAFKAJS_LEVEL: Readonly<Record<string, logLevel>> = {
  fatal: logLevel.ERROR,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
  trace: logLevel.DEBUG,
  silent: logLevel.NOTHING,
};

/** One kafkajs client for the consumer, producers and admin, logging through our pino logger. */
export function createKafkaClient(config: KafkaConfig, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    ssl: config.tls === null ? false : config.tls.ca === null ? true : { ca: [config.tls.ca] },
    sasl: config.sasl ?? undefined,
    logLevel: KAFKAJS_LEVEL[logger.level] ?? logLevel.INFO,
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        const { message } = entry;
        const record: Record<string, unknown> = { namespace, ...entry };
        // pino has its own message, time and logger name.
        delete record.message;
        delete record.timestamp;
        delete record.logger;
        if (level === logLevel.ERROR) {
          // kafkajs reports every consumer-group rebalance as an ERROR; it is routine.
          if (/rebalanc/i.test(message)) log.warn(record, message);
          else log.error(record, message);
        } else if (level === logLevel.WARN) log.warn(record, message);
        else if (level === logLevel.INFO) log.info(record, message);
        else log.debug(record, message);
      },
  });
}

/**
 * Readiness probe for the local Kafka broker started by scripts/kafka.sh.
 *
 *   node scripts/kafka-ready.js [--broker 127.0.0.1:19092] [--timeout-ms 60000] [--quick]
 *
 * --quick: the broker answers metadata requests (admin listTopics).
 * default: additionally proves the consumer-group path end to end: create a
 *          temporary topic, produce one message, consume it in a consumer group,
 *          commit its offset, read the committed offset back, then clean up.
 * Exit 0 when ready, 1 otherwise (reason on stderr).
 */
'use strict';

const crypto = require('crypto');
const { Kafka, logLevel } = require('kafkajs');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const broker = arg('--broker', process.env.KAFKA_BROKERS || '127.0.0.1:19092');
const timeoutMs = Number(arg('--timeout-ms', '60000'));
const quick = process.argv.includes('--quick');

const kafka = new Kafka({
  clientId: 'kafka-ready',
  brokers: broker.split(','),
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  requestTimeout: 10000,
  retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: 8 },
});

async function consumeOne(topic, groupId, token) {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (message.value && message.value.toString() === token) {
              const offset = (BigInt(message.offset) + 1n).toString();
              await consumer.commitOffsets([{ topic, partition, offset }]);
              resolve();
            }
          },
        })
        .catch(reject);
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    });
  } finally {
    await consumer.disconnect();
  }
}

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.listTopics();
    if (quick) return;

    const suffix = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    const topic = `kafka-ready-${suffix}`;
    const groupId = `kafka-ready-${suffix}`;
    const token = crypto.randomBytes(8).toString('hex');

    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    try {
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        await producer.send({ topic, acks: -1, messages: [{ key: 'ready', value: token }] });
      } finally {
        await producer.disconnect();
      }

      await consumeOne(topic, groupId, token);

      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const offset = committed && committed.partitions[0] && committed.partitions[0].offset;
      if (offset !== '1') throw new Error(`committed offset is ${offset}, expected 1`);
    } finally {
      // Best effort: leave no probe topics/groups behind.
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.deleteTopics({ topics: [topic], timeout: 5000 }).catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
  }
}

const timer = setTimeout(() => {
  console.error(`kafka-ready: timed out after ${timeoutMs} ms (${broker})`);
  process.exit(1);
}, timeoutMs);

main().then(
  () => {
    clearTimeout(timer);
    process.exit(0);
  },
  (err) => {
    clearTimeout(timer);
    console.error(`kafka-ready: ${broker}: ${err && err.message ? err.message : String(err)}`);
    process.exit(1);
  },
);

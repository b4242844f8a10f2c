import type { Message } from 'kafkajs';

/**
 * A broker refuses a record batch over its `message.max.bytes` (1 MB by default), and a batch
 * of events carrying whole assessments can exceed it: requests stay well under.
 */
const MAX_REQUEST_BYTES = 512 * 1024;

/** The messages in order, cut into requests of at most MAX_REQUEST_BYTES (one at least). */
export function requestsOf(messages: readonly Message[]): Message[][] {
  const requests: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(String(message.value)) + Buffer.byteLength(String(message.key));
    if (current.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

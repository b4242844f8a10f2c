import type { Message } from 'kafkajs';
import { requestsOf } from './outbox-requests';

const message = (key: string, kilobytes: number): Message => ({
  key,
  value: 'x'.repeat(kilobytes * 1024),
});

describe('requestsOf', () => {
  it('keeps a batch that fits in one request, in order', () => {
    const batch = [message('a', 1), message('b', 2)];
    expect(requestsOf(batch)).toEqual([batch]);
  });

  it('cuts a large batch into requests under 512 KiB, keeping the order', () => {
    const batch = Array.from({ length: 5 }, (_, i) => message(`k${i}`, 200));
    const requests = requestsOf(batch);
    expect(requests.map((r) => r.map((m) => m.key))).toEqual([['k0', 'k1'], ['k2', 'k3'], ['k4']]);
  });

  it('sends an event larger than the limit on its own', () => {
    const requests = requestsOf([message('small', 1), message('huge', 600), message('next', 1)]);
    expect(requests.map((r) => r.map((m) => m.key))).toEqual([['small'], ['huge'], ['next']]);
  });

  it('has no request for no messages', () => {
    expect(requestsOf([])).toEqual([]);
  });
});

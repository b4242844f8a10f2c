import { randomUUID } from 'node:crypto';
import type { StreamHead } from '../../hash-chain';
import type { ProposedEvent } from '../../ledger-event';
import { planBulkAppend, type PendingAppend } from './bulk-append-plan';

const event = (): ProposedEvent => ({
  eventId: randomUUID(),
  type: 'Probe',
  data: {},
  metadata: {
    actor: 'spec',
    source: 'spec',
    correlationId: 'c',
    causationId: null,
    occurredAt: '2025-01-01T00:00:00.000Z',
    schemaVersion: 1,
  },
});

const append = (
  index: number,
  streamId: string,
  expected: PendingAppend['expected'],
  count = 1,
): PendingAppend => ({
  index,
  streamId,
  expected,
  events: Array.from({ length: count }, event),
});

const heads: Record<string, StreamHead> = { existing: { revision: 4, hash: 'f'.repeat(64) } };
const headOf = (streamId: string) => heads[streamId] ?? null;

describe('planBulkAppend', () => {
  it('chains each append onto its stream head, and onto the append before it on that stream', () => {
    const plan = planBulkAppend(
      [
        append(0, 'new', 'no-stream', 2),
        append(1, 'existing', 4),
        append(2, 'new', 1),
        append(3, 'existing', 'any'),
      ],
      headOf,
      '2025-01-01T00:00:00.000Z',
    );
    expect(plan.oneByOne).toEqual([]);
    const revisions = plan.together.map((c) => [c.append.index, c.events.map((e) => e.revision)]);
    expect(revisions).toEqual([
      [0, [0, 1]],
      [1, [5]],
      [2, [2]],
      [3, [6]],
    ]);
    expect(plan.together[2].events[0].prevHash).toBe(plan.together[0].events[1].hash);
    expect(plan.together[1].events[0].prevHash).toBe(heads.existing.hash);
  });

  it('leaves an append that misses its stream, and all after it on that stream, to one by one', () => {
    const pending = [
      append(0, 'existing', 2),
      append(1, 'new', 'no-stream'),
      append(2, 'existing', 'any'),
      append(3, 'empty', 'any', 0),
    ];
    const plan = planBulkAppend(pending, headOf, '2025-01-01T00:00:00.000Z');
    expect(plan.together.map((c) => c.append.index)).toEqual([1]);
    expect(plan.oneByOne.map((a) => a.index)).toEqual([0, 2, 3]);
  });
});

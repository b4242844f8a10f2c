import type { Principal } from '../../kernel/principal';
import type { EventStore, ExpectedRevision } from '../../ledger/event-store';
import { WrongExpectedRevision } from '../../ledger/ledger-errors';
import type { ProposedEvent, RecordedEvent } from '../../ledger/ledger-event';
import { Metrics } from '../../observability/metrics';
import type { CatalogCommand } from '../domain/catalog-commands';
import { CatalogRefusal } from '../domain/catalog-refusal';
import { SERVICE_CATALOG_STREAM } from '../domain/catalog-stream';
import { ExecuteCatalogCommand } from './execute-catalog-command';
import { ExecuteCatalogCommandHandler } from './execute-catalog-command.handler';

const root: Principal = { id: 'root', roles: ['admin'] };

function command(
  kind: CatalogCommand['kind'],
  name: string,
  dependsOn: string[] = [],
): ExecuteCatalogCommand {
  return new ExecuteCatalogCommand(
    {
      kind,
      service: { name, owner: 't', tier: 1, dependsOn },
      actor: root,
      at: '2030-01-01T00:00:00Z',
    },
    { source: 'test', correlationId: 'c' },
  );
}

/**
 * Just enough of a store for one stream: expected revisions are enforced, and `beforeAppend`
 * lets a test slip a competing writer's append in between another writer's read and append.
 */
class OneStreamStore {
  readonly events: RecordedEvent[] = [];
  beforeAppend: (() => Promise<void>) | null = null;

  readStream(): Promise<RecordedEvent[]> {
    return Promise.resolve([...this.events]);
  }

  async append(streamId: string, expected: ExpectedRevision, proposed: ProposedEvent[]) {
    const interleave = this.beforeAppend;
    this.beforeAppend = null;
    if (interleave) await interleave();
    const actual = this.events.length - 1;
    if (expected !== 'any' && (expected === 'no-stream' ? -1 : expected) !== actual) {
      throw new WrongExpectedRevision(streamId, expected, actual);
    }
    const recorded = proposed.map((event, i) => ({
      ...event,
      streamId,
      revision: actual + 1 + i,
      recordedAt: '',
      prevHash: '',
      hash: '',
      position: String(this.events.length + i),
    }));
    this.events.push(...recorded);
    return {
      streamId,
      lastRevision: this.events.length - 1,
      events: recorded,
      alreadyStored: false,
    };
  }
}

describe('executing catalog commands on the one catalog stream', () => {
  let store: OneStreamStore;
  let handler: ExecuteCatalogCommandHandler;
  let metrics: Metrics;

  beforeEach(async () => {
    store = new OneStreamStore();
    metrics = new Metrics();
    handler = new ExecuteCatalogCommandHandler(store as unknown as EventStore, metrics);
    await handler.execute(command('RegisterService', 'a'));
    await handler.execute(command('RegisterService', 'b'));
  });

  it('re-decides after losing a race, so two updates cannot close a cycle together', async () => {
    // While a → b is being appended, b → a wins the race; a → b is then decided again.
    store.beforeAppend = async () => {
      await handler.execute(command('UpdateService', 'b', ['a']));
    };
    await expect(handler.execute(command('UpdateService', 'a', ['b']))).rejects.toMatchObject({
      code: 'dependency-cycle',
      cycle: ['a', 'b', 'a'],
    });
    expect(store.events.map((e) => [e.type, e.data.name, e.data.dependsOn])).toEqual([
      ['ServiceRegistered', 'a', []],
      ['ServiceRegistered', 'b', []],
      ['ServiceUpdated', 'b', ['a']],
    ]);
    expect((await metrics.appendConflicts.get()).values[0].value).toBe(1);
  });

  it('appends at the revision it read, on the catalog stream', async () => {
    const result = await handler.execute(command('UpdateService', 'a', ['b']));
    expect(result).toMatchObject({ catalogRevision: 2, recorded: true });
    expect(store.events[2]).toMatchObject({ streamId: SERVICE_CATALOG_STREAM, revision: 2 });
  });

  it('passes refusals on without writing', async () => {
    await expect(handler.execute(command('RegisterService', 'a'))).rejects.toBeInstanceOf(
      CatalogRefusal,
    );
    expect(store.events).toHaveLength(2);
  });
});

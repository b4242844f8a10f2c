import type { Principal } from '../../kernel/principal';
import type { CatalogCommand } from './catalog-commands';
import type { ServiceDefinition } from './catalog-events';
import { CatalogRefusal } from './catalog-refusal';
import { emptyCatalog, evolveCatalog, type Catalog } from './catalog-state';
import { decideCatalog } from './decide-catalog';

const root: Principal = { id: 'root', roles: ['admin'] };
const AT = '2030-01-01T09:00:00.000Z';

function service(name: string, dependsOn: string[] = [], owner = 'shop'): ServiceDefinition {
  return { name, owner, tier: 2, dependsOn };
}

const register = (definition: ServiceDefinition): CatalogCommand => ({
  kind: 'RegisterService',
  service: definition,
  actor: root,
  at: AT,
});
const update = (definition: ServiceDefinition): CatalogCommand => ({
  kind: 'UpdateService',
  service: definition,
  actor: root,
  at: AT,
});

/** Decides each command in turn on the catalog the previous ones built. */
function catalogAfter(...commands: CatalogCommand[]): Catalog {
  return commands.reduce(
    (catalog, command) => decideCatalog(command, catalog).reduce(evolveCatalog, catalog),
    emptyCatalog,
  );
}

function refusal(command: CatalogCommand, catalog: Catalog): CatalogRefusal {
  try {
    decideCatalog(command, catalog);
  } catch (error) {
    if (error instanceof CatalogRefusal) return error;
    throw error;
  }
  throw new Error('the command was not refused');
}

// web → checkout → payments → ledger, and checkout → inventory
const shop = catalogAfter(
  register(service('ledger')),
  register(service('inventory')),
  register(service('payments', ['ledger'])),
  register(service('checkout', ['payments', 'inventory'])),
  register(service('web', ['checkout'])),
);

describe('the service catalog decider', () => {
  it('registers a service with its dependencies sorted and counted once', () => {
    expect(decideCatalog(register(service('search', ['web', 'inventory', 'web'])), shop)).toEqual([
      {
        type: 'ServiceRegistered',
        data: {
          name: 'search',
          owner: 'shop',
          tier: 2,
          dependsOn: ['inventory', 'web'],
          registeredBy: 'root',
          at: AT,
        },
      },
    ]);
  });

  it('refuses to register a name twice, and to update one never registered', () => {
    expect(refusal(register(service('web')), shop)).toMatchObject({
      code: 'service-exists',
      kind: 'conflict',
    });
    expect(refusal(update(service('nope')), shop)).toMatchObject({
      code: 'service-not-found',
      kind: 'not-found',
    });
  });

  it('refuses a dependency on a service that is not registered, naming it', () => {
    const refused = refusal(register(service('search', ['web', 'elastic'])), shop);
    expect(refused).toMatchObject({ code: 'unknown-dependency', kind: 'rule' });
    expect(refused.message).toContain('elastic');
  });

  it('refuses a dependency that would close a cycle, naming the whole loop', () => {
    const refused = refusal(update(service('ledger', ['web'])), shop);
    expect(refused).toMatchObject({ code: 'dependency-cycle', kind: 'rule' });
    expect(refused.cycle).toEqual(['ledger', 'web', 'checkout', 'payments', 'ledger']);
    expect(refused.message).toContain('ledger → web → checkout → payments → ledger');
  });

  it('treats depending on oneself as a cycle, also when registering', () => {
    expect(refusal(register(service('solo', ['solo'])), shop).cycle).toEqual(['solo', 'solo']);
    expect(refusal(update(service('web', ['web'])), shop).cycle).toEqual(['web', 'web']);
  });

  it('accepts a new path that is not a loop (a diamond)', () => {
    const events = decideCatalog(update(service('web', ['checkout', 'payments'])), shop);
    expect(events).toMatchObject([{ type: 'ServiceUpdated', data: { updatedBy: 'root' } }]);
  });

  it('records nothing for an update that changes nothing', () => {
    expect(decideCatalog(update(service('checkout', ['inventory', 'payments'])), shop)).toEqual([]);
    expect(
      decideCatalog(update(service('checkout', ['inventory'], 'payments-team')), shop),
    ).toEqual([expect.objectContaining({ type: 'ServiceUpdated' })]);
  });

  it('keeps the registration time across updates', () => {
    const later = '2030-02-01T00:00:00.000Z';
    const updated = decideCatalog(
      { ...update(service('web', [], 'web-team')), at: later },
      shop,
    ).reduce(evolveCatalog, shop);
    expect(updated.get('web')).toEqual({
      ...service('web', [], 'web-team'),
      registeredAt: AT,
      updatedAt: later,
    });
  });
});

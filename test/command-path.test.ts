import { randomUUID } from 'node:crypto';
import type { Principal } from '../src/kernel/principal';
import { ExecuteChangeCommand } from '../src/changes/execute-change-command';
import type { ExecuteChangeCommandHandler } from '../src/changes/application/execute-change-command.handler';
import type { SpecIntent } from '../src/changes/domain/fixtures/decision-context';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { PgSqlClient } from '../src/sql/pg-sql-client';
import { changeCommandHandler } from './support/command-path';
import { createTestDatabase, type TestDatabase } from './support/postgres';

const alice: Principal = { id: 'alice', roles: ['requester'] };
const bob: Principal = { id: 'bob', roles: ['approver'] };
const ci: Principal = { id: 'ci', roles: ['deployer'] };
const origin = { source: 'test', correlationId: 'c' };

/** Two instances of the service: each handler keeps its own cache of recent streams. */
describe('the command path with two instances on one PostgreSQL ledger', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let first: ExecuteChangeCommandHandler;
  let second: ExecuteChangeCommandHandler;

  beforeAll(async () => {
    db = await createTestDatabase('command-path');
    const sql = new PgSqlClient({ connectionString: db.connectionString });
    store = await SqlEventStore.open('postgres', sql);
    first = await changeCommandHandler(store, sql);
    second = await changeCommandHandler(store, sql);
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const run = (handler: ExecuteChangeCommandHandler, command: SpecIntent) =>
    handler.execute(new ExecuteChangeCommand({ ...command, receivedAt: command.at }, origin));
  const at = () => new Date().toISOString();

  async function requested(): Promise<string> {
    const changeId = randomUUID();
    await run(first, {
      kind: 'RequestChange',
      changeId,
      actor: alice,
      at: at(),
      request: {
        title: 'Two instances',
        description: 'x',
        type: 'normal',
        category: 'application',
        services: ['svc'],
        environment: 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
      },
    });
    return changeId;
  }

  it('decides again on a fresh read when its cached state was refused, and records no false refusal', async () => {
    const changeId = await requested();
    // The second instance approves: the first one's cached stream is now one decision behind.
    await run(second, { kind: 'ApproveChange', changeId, actor: bob, at: at() });
    const deployed = await run(first, { kind: 'MarkDeployed', changeId, actor: ci, at: at() });
    expect(deployed.status).toBe('deployed');
    const types = (await store.readStream(`change-${changeId}`)).map((e) => e.type);
    expect(types).toEqual([
      'ChangeRequested',
      'RiskAssessed',
      'ApprovalGranted',
      'ChangeApproved',
      'DeploymentStarted',
      'ChangeDeployed',
    ]);
  });

  it('appends on a stale cache only after re-deciding on the winner state', async () => {
    const changeId = await requested();
    await run(first, { kind: 'ApproveChange', changeId, actor: bob, at: at() });
    await run(second, { kind: 'MarkDeployed', changeId, actor: ci, at: at() });
    // First still believes the change is approved; verifying needs it deployed, and it is.
    const verified = await run(first, { kind: 'VerifyChange', changeId, actor: ci, at: at() });
    expect(verified.status).toBe('verified');
    const events = await store.readStream(`change-${changeId}`);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    events.slice(1).forEach((e, i) => expect(e.prevHash).toBe(events[i].hash));
  });

  it('still records a refusal decided on what the store holds', async () => {
    const changeId = await requested();
    await expect(
      run(second, { kind: 'MarkDeployed', changeId, actor: ci, at: at() }),
    ).rejects.toMatchObject({
      code: 'not-approved',
    });
    const last = (await store.readStream(`change-${changeId}`)).at(-1);
    expect(last).toMatchObject({
      type: 'CommandRefused',
      data: { code: 'not-approved', actor: 'ci' },
    });
  });
});

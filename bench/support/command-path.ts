import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/kernel/principal';
import { ExecuteChangeCommand } from '../../src/changes/execute-change-command';
import type { ChangeIntent } from '../../src/changes/domain/commands';
import type { EventStore } from '../../src/ledger/event-store';
import type { SqlClient } from '../../src/sql/sql-client';
import { changeCommandHandler } from '../../test/support/command-path';
import { runConcurrently } from './bench-database';

const alice: Principal = { id: 'alice', roles: ['requester'] };
const bob: Principal = { id: 'bob', roles: ['approver'] };
const ci: Principal = { id: 'ci-bot', roles: ['deployer'] };

/** A normal change's life: request, approve, deploy, verify, close — 8 events, 5 commands. */
export function lifecycle(changeId: string): ChangeIntent[] {
  const at = () => new Date().toISOString();
  return [
    {
      kind: 'RequestChange',
      changeId,
      actor: alice,
      request: {
        title: 'Bump checkout pool',
        description: 'benchmark change',
        type: 'normal',
        category: 'software-config',
        services: [`svc-${changeId.slice(0, 2)}`],
        environment: 'production',
        blastRadius: 'low',
        hasDatabaseMigration: false,
        rollbackPlan: { trigger: 'errors', steps: ['revert'], expectedMinutes: 5 },
      },
    },
    { kind: 'ApproveChange', changeId, actor: bob },
    { kind: 'MarkDeployed', changeId, actor: ci, version: '1.0.1' },
    { kind: 'VerifyChange', changeId, actor: ci },
    { kind: 'CloseChange', changeId, actor: alice, outcome: 'successful' },
  ].map((command) => {
    const when = at();
    return { ...command, at: when, receivedAt: when } as ChangeIntent;
  });
}

/**
 * Each writer drives whole changes, so 16 writers touch 16 streams at a time; the read models
 * the command path reads its facts from live in `sql`.
 */
export async function commandPath(
  store: EventStore,
  sql: SqlClient,
  changes: number,
  writers: number,
): Promise<{ events: number; seconds: number }> {
  const handler = await changeCommandHandler(store, sql);
  const origin = { source: 'bench', correlationId: randomUUID() };
  let events = 0;
  const seconds = await runConcurrently(changes, writers, async () => {
    for (const command of lifecycle(randomUUID())) {
      const result = await handler.execute(new ExecuteChangeCommand(command, origin));
      events += result.events.length;
    }
  });
  return { events, seconds };
}

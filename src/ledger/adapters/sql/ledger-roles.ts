import { ConfigError } from '../../../config/config';
import { migrate } from '../../../sql/migrate';
import type { SqlClient } from '../../../sql/sql-client';
import { LEDGER_MIGRATIONS } from './ledger-schema';

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Two roles for the PostgreSQL store, so that the database refuses the service's own rewrites
 * even with the append-only triggers gone: the migration role creates and owns ledger_events;
 * the role the service writes with gets INSERT and SELECT on it and nothing else. Run before
 * the store opens; refuses to go on when the writer could still change a stored event.
 */
export async function separateLedgerRoles(owner: SqlClient, writer: SqlClient): Promise<void> {
  const [{ role }] = await writer.query<{ role: string }>('SELECT current_user AS role');
  await migrate(owner, 'ledger', LEDGER_MIGRATIONS);
  const grantee = quoteIdentifier(role);
  await owner.exec(`
    REVOKE ALL ON ledger_events FROM ${grantee};
    GRANT SELECT, INSERT ON ledger_events TO ${grantee};
    GRANT SELECT, INSERT ON schema_migrations TO ${grantee};`);
  const [found] = await writer.query<{ owner: string; rewrite: boolean }>(
    `SELECT pg_get_userbyid(relowner) AS owner,
            has_table_privilege('ledger_events', 'UPDATE')
              OR has_table_privilege('ledger_events', 'DELETE')
              OR has_table_privilege('ledger_events', 'TRUNCATE') AS rewrite
       FROM pg_class WHERE oid = 'ledger_events'::regclass`,
  );
  if (found.owner === role || found.rewrite) {
    throw new ConfigError([
      `DATABASE_URL's role ${role} can still ${found.owner === role ? 'alter (it owns)' : 'update, delete or truncate'} ledger_events: ` +
        'use a role that is neither the owner of the table nor a superuser (docs/verification.md, "Database roles")',
    ]);
  }
}

/*
 * A child process for test/embedded-crash.test.ts: opens the embedded PGlite ledger in the
 * directory given as argument and appends in a tight loop until it is killed.
 *
 *   node -r ts-node/register/transpile-only test/support/embedded-ledger-writer.ts <dir>
 *
 * It prints "ready <events already stored>" once open, then "committed <total>" after each
 * append has resolved. Writes to a pipe are synchronous on Linux, so a line the parent has
 * read was printed only after that append returned: the store had acknowledged it.
 */
import { randomUUID } from 'node:crypto';
import { SqlEventStore } from '../../src/ledger/adapters/sql/sql-event-store';
import type { ProposedEvent } from '../../src/ledger/ledger-event';
import { PGliteSqlClient } from '../../src/sql/pglite-sql-client';

/** The most events one append carries: what may be stored beyond the last reported count. */
export const LARGEST_BATCH = 3;

async function main(dataDir: string): Promise<void> {
  const store = await SqlEventStore.open('pglite', await PGliteSqlClient.open(dataDir));
  let committed = 0;
  for (let page = await store.readAll(null, 1000); page.length > 0;) {
    committed += page.length;
    page = await store.readAll(page[page.length - 1].position, 1000);
  }
  process.stdout.write(`ready ${committed}\n`);
  for (let i = 0; ; i++) {
    const batch = 1 + (i % LARGEST_BATCH);
    await store.append(`crash-${i % 7}`, 'any', events(batch, i));
    committed += batch;
    process.stdout.write(`committed ${committed}\n`);
  }
}

function events(count: number, round: number): ProposedEvent[] {
  return Array.from({ length: count }, (_, n) => ({
    eventId: randomUUID(),
    type: 'DeploymentStarted',
    data: { round, n, padding: 'x'.repeat(200) },
    metadata: {
      actor: 'crash-writer',
      source: 'test',
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  }));
}

if (require.main === module) {
  const dataDir = process.argv[2];
  if (!dataDir) {
    process.stderr.write('usage: embedded-ledger-writer.ts <data directory>\n');
    process.exit(2);
  }
  main(dataDir).catch((error: unknown) => {
    process.stderr.write(
      `writer failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}

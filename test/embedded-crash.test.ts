import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { SqlEventStore } from '../src/ledger/adapters/sql/sql-event-store';
import { verifyLog } from '../src/ledger/verification/verify-log';
import { PGliteSqlClient } from '../src/sql/pglite-sql-client';
import { LARGEST_BATCH } from './support/embedded-ledger-writer';
import { createPGliteDirectory, type TempDirectory } from './support/postgres';

// Each round starts a TypeScript child process and PGlite twice; several rounds take a while.
jest.setTimeout(600_000);

const ROOT = join(__dirname, '..');
const WRITER = join(__dirname, 'support', 'embedded-ledger-writer.ts');

interface WriterProgress {
  readonly sinceSpawnMs: number;
  /** Events stored when the writer opened the store; null until it says so. */
  readonly ready: number | null;
  /** Events stored after its last acknowledged append; null before the first. */
  readonly committed: number | null;
}

interface KilledWriter {
  readonly progress: WriterProgress;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly msToReady: number | null;
}

/**
 * Runs the writer on `dataDir` and SIGKILLs it as soon as `killWhen` says so (checked on every
 * line it prints and every 5 ms), after `delayMs` more. A writer that dies on its own fails.
 */
function runAndKill(
  dataDir: string,
  killWhen: (progress: WriterProgress) => boolean,
  delayMs = 0,
): Promise<KilledWriter> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', WRITER, dataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const started = Date.now();
  let progress: WriterProgress = { sinceSpawnMs: 0, ready: null, committed: null };
  let msToReady: number | null = null;
  let stderr = '';
  let killScheduled = false;
  const consider = () => {
    progress = { ...progress, sinceSpawnMs: Date.now() - started };
    if (killScheduled || !killWhen(progress)) return;
    killScheduled = true;
    setTimeout(() => child.kill('SIGKILL'), delayMs);
  };
  const timer = setInterval(consider, 5);
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word, count] = line.split(' ');
    if (word === 'ready') {
      progress = { ...progress, ready: Number(count) };
      msToReady = Date.now() - started;
    }
    if (word === 'committed') progress = { ...progress, committed: Number(count) };
    consider();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearInterval(timer);
      resolve({ progress, signal, stderr, msToReady });
    });
  });
}

/** Opens the directory in this process, verifies the whole log and appends once more. */
async function reopenAndVerify(dataDir: string) {
  const store = await SqlEventStore.open('pglite', await PGliteSqlClient.open(dataDir));
  try {
    const verdict = await verifyLog(store, { pageSize: 1000 });
    // Still writable after recovery: one more event, chained onto whatever survived.
    const appended = await store.append(`crash-${randomUUID()}`, 'no-stream', [
      {
        eventId: randomUUID(),
        type: 'ReopenedAfterCrash',
        data: {},
        metadata: {
          actor: 'test',
          source: 'test',
          correlationId: randomUUID(),
          causationId: null,
          occurredAt: new Date().toISOString(),
          schemaVersion: 1,
        },
      },
    ]);
    return { verdict, appended };
  } finally {
    await store.close();
  }
}

describe('the embedded PGlite ledger killed with SIGKILL mid-write', () => {
  let directory: TempDirectory;

  beforeAll(async () => {
    directory = await createPGliteDirectory('crash');
  });

  afterAll(async () => {
    await directory?.remove();
  });

  it('reopens intact, keeping every acknowledged append, whenever it is killed', async () => {
    /** Events known stored after the previous round's verification (and extra append). */
    let known = 0;
    let lastMsToReady = 8_000;
    const rounds: Array<{
      moment: string;
      killWhen: (p: WriterProgress) => boolean;
      delayMs?: number;
    }> = [
      {
        moment: 'while creating the database for the first time',
        // The data directory has begun to fill, but the writer has not opened it yet.
        killWhen: (p) => p.ready === null && existsSync(join(directory.path, 'PG_VERSION')),
        delayMs: 20,
      },
      { moment: 'right after opening', killWhen: (p) => p.ready !== null },
      {
        moment: 'after a few appends',
        killWhen: (p) => p.committed !== null && p.committed >= (p.ready ?? 0) + 25,
      },
      ...[150, 400, 800].map((appended) => ({
        moment: `mid-stream after ${appended} events, at a random instant`,
        killWhen: (p: WriterProgress) =>
          p.committed !== null && p.committed >= (p.ready ?? 0) + appended,
        delayMs: Math.floor(Math.random() * 25),
      })),
      {
        moment: 'while reopening (recovery and migrations)',
        killWhen: (p) => p.sinceSpawnMs >= Math.max(lastMsToReady - 300, 500),
      },
    ];

    const report: string[] = [];
    for (const { moment, killWhen, delayMs } of rounds) {
      const killed = await runAndKill(directory.path, killWhen, delayMs);
      expect({ moment, signal: killed.signal, stderr: killed.stderr }).toEqual({
        moment,
        signal: 'SIGKILL',
        stderr: '',
      });
      if (killed.msToReady !== null) lastMsToReady = killed.msToReady;
      const { ready, committed } = killed.progress;
      // Nothing acknowledged may be lost: not this round's appends, not earlier rounds'.
      const acknowledged = committed ?? ready ?? known;
      expect(acknowledged).toBeGreaterThanOrEqual(known);
      // Beyond that, at most the one append in flight when the kill came.
      const inFlight = ready === null ? 0 : LARGEST_BATCH;

      const { verdict, appended } = await reopenAndVerify(directory.path);
      expect(verdict.intact).toBe(true);
      if (!verdict.intact) throw new Error(`broken after "${moment}"`);
      expect(verdict.events).toBeGreaterThanOrEqual(acknowledged);
      expect(verdict.events).toBeLessThanOrEqual(acknowledged + inFlight);
      expect(appended.events[0].revision).toBe(0);
      report.push(
        `${moment}: killed at ${killed.progress.sinceSpawnMs} ms, ` +
          `acknowledged ${acknowledged}, found ${verdict.events} intact`,
      );
      known = verdict.events + 1;
    }
    // Several rounds appended for real, so the kills hit a writer that was busy.
    expect(known).toBeGreaterThan(1350);
    process.stdout.write(`${report.join('\n')}\n`);
  });
});

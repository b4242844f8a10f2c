import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const run = promisify(execFile);

/** Where Debian and Ubuntu install PostgreSQL 15's server programs; PG_BIN_DIR overrides it. */
const BIN_DIR = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const OS_USER = 'postgres';

/** How `pg_ctl` stops the server: `fast` ends every session, `immediate` crashes it. */
export type ShutdownMode = 'fast' | 'immediate';

/**
 * A throw-away PostgreSQL server of a test's own (initdb + pg_ctl), on a free loopback port
 * with its data and socket in a temporary directory: a test may restart or crash it without
 * touching the shared server. PostgreSQL refuses to run as root, so under root the programs
 * run as the `postgres` OS user, which then owns the directory.
 */
export class PostgresCluster {
  private constructor(
    private readonly directory: string,
    readonly port: number,
  ) {}

  /** Initialises and starts a cluster (trust authentication, user `postgres`, db `postgres`). */
  static async create(): Promise<PostgresCluster> {
    const directory = await mkdtemp(join(tmpdir(), 'change-ledger-pg-'));
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', OS_USER]);
      const { stdout: group } = await run('id', ['-g', OS_USER]);
      await chown(directory, Number(stdout.trim()), Number(group.trim()));
    }
    const cluster = new PostgresCluster(directory, await freePort());
    try {
      await cluster.pg('initdb', [
        '--pgdata',
        cluster.dataDir,
        '--username',
        'postgres',
        '--auth',
        'trust',
        '--encoding',
        'UTF8',
        '--no-sync',
      ]);
      await cluster.start();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** A connection string to `database` on this cluster. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /**
   * Stops the server in the given mode and starts it again, waiting until it accepts sessions;
   * `whileDown` runs in between (a test waiting to see the outage noticed).
   */
  async restart(
    mode: ShutdownMode,
    whileDown: () => Promise<void> = async () => {},
  ): Promise<void> {
    await this.stop(mode);
    await whileDown();
    await this.start();
  }

  async stop(mode: ShutdownMode): Promise<void> {
    await this.pg('pg_ctl', ['stop', '--pgdata', this.dataDir, '--mode', mode, '--wait']);
  }

  /** Stops the server (immediately) and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    await rm(this.directory, { recursive: true, force: true });
  }

  private get dataDir(): string {
    return join(this.directory, 'data');
  }

  /** Starts the server, waiting until it accepts sessions. */
  async start(): Promise<void> {
    // fsync off: this server's data only has to outlive its own crashes (`immediate`), which
    // leave the written pages in the OS; commits still wait for the WAL write as usual.
    const options = [
      `-p ${this.port}`,
      `-k ${this.directory}`,
      `-c listen_addresses=127.0.0.1`,
      `-c fsync=off`,
      `-c max_connections=60`,
    ].join(' ');
    await this.pg('pg_ctl', [
      'start',
      '--pgdata',
      this.dataDir,
      '--log',
      join(this.directory, 'server.log'),
      '--options',
      options,
      '--wait',
      '--timeout',
      '60',
    ]);
  }

  private async pg(program: string, args: string[]): Promise<void> {
    const path = join(BIN_DIR, program);
    const [command, argv] =
      process.getuid?.() === 0 ? ['runuser', ['-u', OS_USER, '--', path, ...args]] : [path, args];
    try {
      await run(command, argv, { cwd: this.directory });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${program} ${args[0] ?? ''} failed: ${stderr || stdout || String(error)}`, {
        cause: error,
      });
    }
  }
}

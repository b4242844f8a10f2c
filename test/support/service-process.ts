import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';
import { ApiClient } from './running-app';
import { anytimePolicyFile } from './policy-file';

const ROOT = join(__dirname, '..', '..');

/** One JSON log line of the service (pino). */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/**
 * The service as operators run it (`src/main.ts`) in a process of its own, so a test can see
 * whether a fault ends the process, which an in-process app would take the test runner down
 * with. Its JSON log lines are kept for the test to read.
 */
export class ServiceProcess extends ApiClient {
  readonly lines: LogLine[] = [];
  private stderr = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    baseUrl: string,
  ) {
    super(baseUrl);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as LogLine);
      } catch {
        this.stderr += `${line}\n`;
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('exit', (code, signal) => (this.exit = { code, signal }));
  }

  /**
   * Starts it with these settings (on a free port, under the calendar-free test policy unless
   * they name a POLICY_FILE) and waits until it answers.
   */
  static async start(env: Record<string, string>): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join('src', 'main.ts')],
      {
        cwd: ROOT,
        // Only what it is given: settings in the test runner's environment stay out of it.
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LOG_LEVEL: 'warn',
          POLICY_FILE: anytimePolicyFile(),
          ...env,
          PORT: String(port),
          HOST: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const service = new ServiceProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 60_000;
    while ((await service.status('/health/live')) !== 200) {
      if (service.exit !== null || Date.now() > deadline) {
        await service.stop();
        throw new Error(`the service did not start: ${service.describe()}`);
      }
      await sleep(100);
    }
    return service;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Null while the process runs; how it ended otherwise. */
  get exited(): { code: number | null; signal: NodeJS.Signals | null } | null {
    return this.exit;
  }

  /** Exit, stderr and error log lines, for a failure message. */
  describe(): string {
    const errors = this.lines.filter((line) => line.level >= 50).slice(-20);
    return JSON.stringify({ exit: this.exit, stderr: this.stderr.slice(-4000), errors }, null, 1);
  }

  /** The status a GET answers with; 0 when the service does not answer at all. */
  async status(path: string): Promise<number> {
    return (await this.call('GET', path).catch(() => ({ status: 0 }))).status;
  }

  /** SIGTERM (a graceful stop), then SIGKILL if it has not ended within 20 s. */
  async stop(): Promise<void> {
    if (this.exit !== null) return;
    const ended = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await ended;
    clearTimeout(timer);
  }
}

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { TcpProxy } from './tcp-proxy';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'kafka.sh');

/**
 * A Kafka broker of a test's own (scripts/kafka.sh on free ports, its state in a temporary
 * directory), reached only through a TcpProxy: the broker advertises the proxy's port, so
 * every connection a client makes, bootstrap or not, passes where the test can cut it. The
 * test may restart this broker; the shared one on 19092 is never touched.
 */
export class KafkaBroker {
  private constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly stateDir: string,
    readonly proxy: TcpProxy,
  ) {}

  static async start(): Promise<KafkaBroker> {
    const stateDir = await mkdtemp(join(tmpdir(), 'change-ledger-kafka-'));
    const port = await freePort();
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    const proxy = await TcpProxy.start(port);
    const env = {
      ...process.env,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      KAFKA_ADVERTISED_PORT: String(proxy.port),
      KAFKA_STATE_DIR: stateDir,
      KAFKA_HEAP_OPTS: '-Xmx384m -Xms128m',
    };
    const broker = new KafkaBroker(env, stateDir, proxy);
    try {
      await broker.script('start');
    } catch (error) {
      await broker.destroy();
      throw error;
    }
    return broker;
  }

  /** Where clients connect: the proxy. */
  get bootstrap(): string {
    return `127.0.0.1:${this.proxy.port}`;
  }

  /** `kafka.sh restart`: a clean stop (SIGTERM), then a start that waits until it serves. */
  async restart(): Promise<void> {
    await this.script('restart');
  }

  /** Stops the broker and removes its state. */
  async destroy(): Promise<void> {
    await this.script('stop').catch(() => undefined);
    await this.proxy.close();
    await rm(this.stateDir, { recursive: true, force: true });
  }

  private async script(command: string): Promise<void> {
    try {
      await run('bash', [SCRIPT, command], { env: this.env, timeout: 180_000 });
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`kafka.sh ${command} failed: ${stderr ?? String(error)}`, { cause: error });
    }
  }
}

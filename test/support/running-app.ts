import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '../../src/load-config';
import type { Clock } from '../../src/common/clock';
import { createApp } from '../../src/create-app';
import { anytimePolicyFile } from './policy-file';
import { createTestDatabase } from './postgres';

/** Keys from config/demo-api-keys.json, the same the walk-throughs use. */
export const KEYS = {
  alice: 'alice-demo-key', // requester
  bob: 'bob-demo-key', // approver
  carol: 'carol-demo-key', // approver + cab
  ci: 'ci-demo-key', // deployer + ingest
  audrey: 'audrey-demo-key', // auditor
  root: 'admin-demo-key', // admin
} as const;

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  contentType: string;
  body: T;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** One HTTP call to the service at `baseUrl`, with an API key and a JSON body if given. */
export async function callApi<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const parsed: unknown = contentType.includes('json') && text ? JSON.parse(text) : text;
  return { status: response.status, contentType, body: parsed as T };
}

/** Speaks to the service at `baseUrl` over real HTTP. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiResponse<T>> {
    return callApi<T>(this.baseUrl, method, path, options);
  }
}

let scratch: string | undefined;

/**
 * Where apps started without DATA_DIR keep what they keep there (the generated checkpoint
 * signing key): one directory for the test process, so that its apps on one database share
 * one key as a deployment's instances do; removed when the process exits.
 */
function scratchDirectory(): string {
  if (scratch === undefined) {
    const created = mkdtempSync(join(tmpdir(), 'change-ledger-app-'));
    process.on('exit', () => rmSync(created, { recursive: true, force: true }));
    scratch = created;
  }
  return scratch;
}

/** The real service, in this process, on a loopback port. */
export class RunningApp extends ApiClient {
  private constructor(
    readonly app: NestFastifyApplication,
    baseUrl: string,
  ) {
    super(baseUrl);
  }

  /**
   * Under the calendar-free test policy unless `env` names a POLICY_FILE, on the real clock
   * unless the suite brings one it moves.
   */
  static async start(env: Record<string, string>, clock?: Clock): Promise<RunningApp> {
    const config = loadConfig({
      LOG_LEVEL: 'warn',
      DATA_DIR: scratchDirectory(),
      POLICY_FILE: anytimePolicyFile(),
      ...env,
    });
    const app = await createApp(config, clock);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    return new RunningApp(app, `http://127.0.0.1:${address.port}`);
  }

  /** The service on a fresh PostgreSQL database of its own, dropped again by `close`. */
  static async onFreshDatabase(label: string, env: Record<string, string> = {}) {
    const db = await createTestDatabase(label);
    const running = await RunningApp.start({
      EVENT_STORE: 'postgres',
      DATABASE_URL: db.connectionString,
      ...env,
    });
    return {
      app: running,
      database: db,
      close: async () => {
        await running.close();
        await db.drop();
      },
    };
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

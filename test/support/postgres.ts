import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** Admin connection only: every suite gets its own database on this server. */
export const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly name: string;
  readonly connectionString: string;
  drop(): Promise<void>;
}

export interface TempDirectory {
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named database. An unreachable server is an error, never a
 * skip, so CI cannot pass green without having run the suites against PostgreSQL.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = uniqueName(label);
  await withAdmin(async (admin) => {
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  });
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    connectionString: url.toString(),
    // FORCE: a pool a failed test forgot to close must not leave the database behind.
    drop: () =>
      withAdmin(async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      }),
  };
}

/** A fresh directory for an embedded PGlite store. */
export async function createPGliteDirectory(label: string): Promise<TempDirectory> {
  const path = await mkdtemp(join(tmpdir(), `change-ledger-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

async function withAdmin(work: (admin: Client) => Promise<void>): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL is unreachable at ${redact(ADMIN_DATABASE_URL)} (${reason}). ` +
        'Start it or set TEST_DATABASE_URL; these suites fail rather than skip.',
      { cause: error },
    );
  }
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

/** Lowercase, at most 63 bytes (PostgreSQL's identifier limit), unique across parallel workers. */
function uniqueName(label: string): string {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24);
  return `ledger_${safe}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

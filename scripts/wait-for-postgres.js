// Waits (up to 30 s) until PostgreSQL at the given URL answers a query.
const { Client } = require('pg');

const url = process.argv[2];
const deadline = Date.now() + 30_000;

async function attempt() {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

(async () => {
  while (Date.now() < deadline) {
    if (await attempt()) process.exit(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.error(`PostgreSQL at ${url} did not answer within 30 s`);
  process.exit(1);
})();

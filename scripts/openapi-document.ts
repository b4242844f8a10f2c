import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/load-config';
import { createApp } from '../src/create-app';

/**
 * The OpenAPI document the service serves at /docs/json, from the app itself on a throw-away
 * embedded store: what the console's API types are generated from (npm run api:types).
 */
export async function openApiDocument(): Promise<unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'change-ledger-openapi-'));
  const app = await createApp(
    loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' }),
  );
  try {
    const response = await app.getHttpAdapter().getInstance().inject({ url: '/docs/json' });
    return response.json();
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Writes the document to the file named by the first argument. */
if (require.main === module) {
  openApiDocument().then(
    (document) => writeFileSync(process.argv[2], `${JSON.stringify(document, null, 2)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

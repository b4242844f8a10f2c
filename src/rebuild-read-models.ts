import 'reflect-metadata';
import { ConfigError } from './config/config';
import { loadConfig } from './load-config';
import { openStorage } from './storage/open-storage';
import { ProjectionRunner } from './ledger/projection-runner';
import { projectionsFor } from './read-models';

/**
 * Rebuilds read models from the first ledger event, next to running instances (PostgreSQL:
 * the projection's advisory lock keeps them from applying during the swap).
 *
 *   npm run projections:rebuild -- [name ...]      (all read models when none is named)
 */
async function main(names: string[]): Promise<void> {
  const config = loadConfig();
  const projections = projectionsFor(config);
  const unknown = names.filter((name) => !projections.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new ConfigError([
      `unknown read model(s): ${unknown.join(', ')}; known: ${projections.map((p) => p.name).join(', ')}`,
    ]);
  }
  const storage = await openStorage(config);
  try {
    for (const projection of projections.filter(
      (p) => names.length === 0 || names.includes(p.name),
    )) {
      const runner = new ProjectionRunner(storage.store, storage.sql, projection, {
        batchSize: 1000,
        idleMs: 100,
      });
      await runner.prepare();
      const started = Date.now();
      const events = await runner.rebuild();
      console.log(
        `${projection.name}: rebuilt from ${events} events in ${Date.now() - started} ms`,
      );
    }
  } finally {
    await storage.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

import { ProjectionRegistry } from '../../src/projections/projection-registry';
import type { PGliteSqlClient } from '../../src/sql/pglite-sql-client';
import { SQL_CLIENT } from '../../src/sql/sql-client';
import { waitFor } from '../kafka/support/kafka-test-kit';
import { createPGliteDirectory, type TempDirectory } from '../support/postgres';
import { KEYS, RunningApp } from '../support/running-app';
import { changeRequest } from './support/command-load';

/**
 * The embedded store has no connection to lose, but its engine can fail under the service
 * (here it is closed out from under it, as a trap or a full disk would leave it). Whatever it
 * throws must reach callers as "unavailable", in requests and in the background alike.
 */
describe('the embedded store failing under a running service', () => {
  let directory: TempDirectory;
  let app: RunningApp;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    directory = await createPGliteDirectory('engine-failure');
    app = await RunningApp.start({
      EVENT_STORE: 'embedded',
      DATA_DIR: directory.path,
      LOG_LEVEL: 'fatal',
    });
  });

  afterAll(async () => {
    await app?.close();
    await directory?.remove();
    process.off('unhandledRejection', onUnhandled);
  });

  it('answers 503, says it is not ready, and keeps its background work alive', async () => {
    const requested = await app.call<{ changeId: string }>('POST', '/changes', {
      key: KEYS.alice,
      body: changeRequest('checkout'),
    });
    expect(requested.status).toBe(201);
    expect((await app.call('GET', '/health')).status).toBe(200);

    await app.app.get<PGliteSqlClient>(SQL_CLIENT).close();

    const health = await app.call<{ details: Record<string, { status: string }> }>(
      'GET',
      '/health',
    );
    expect(health.status).toBe(503);
    expect(health.body.details.eventStore.status).toBe('down');

    const { changeId } = requested.body;
    const refused = [
      await app.call('POST', `/changes/${changeId}/approvals`, { key: KEYS.bob, body: {} }),
      await app.call('GET', `/changes/${changeId}`, { key: KEYS.audrey }),
      await app.call('GET', '/changes', { key: KEYS.audrey }),
      await app.call('GET', '/ledger/verify', { key: KEYS.audrey }),
    ];
    for (const response of refused) {
      expect(response).toMatchObject({
        status: 503,
        contentType: expect.stringContaining('application/problem+json') as unknown,
        body: { code: 'store-unavailable' },
      });
    }

    // Every read model keeps retrying in the background, and failing, without a rejection or
    // an error event escaping: the process goes on serving.
    const projections = app.app.get(ProjectionRegistry);
    const names = ['change-catalog', 'compliance', 'service-graph', 'incident-correlation'];
    await waitFor(
      () => names.every((name) => projections.health(name).lastError?.includes('PGlite is closed')),
      10_000,
      'every read model to meet the failure',
    );
    expect(names.map((name) => projections.health(name).running)).toEqual([true, true, true, true]);
    expect((await app.call('GET', '/health/live')).status).toBe(200);
    // Monitoring keeps its metrics exactly when it needs them; the unknown lag is left out.
    const metrics = await app.call<string>('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('http_request_duration_seconds');
    expect(metrics.body).not.toMatch(/projection_lag_events\{/);
    expect(metrics.body).not.toMatch(/ledger_tree_leaves\{/);
    expect(unhandled).toEqual([]);
  });
});

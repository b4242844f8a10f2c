import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { changeRequest } from '../support/change-requests';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { RunningApp } from '../support/running-app';
import { launchChromium, newPage, screenshot, seriousViolations, signIn } from './support/browser';
import { consoleKeysFile, PEOPLE, ReplayClock, seed, type Seeded } from './support/seed';

/**
 * The console at /ui in headless Chromium against the real service on PostgreSQL: the three
 * people it is for do their jobs, every page passes axe-core, and its API types are the ones
 * the service's OpenAPI document generates.
 */
describe('web console in Chromium', () => {
  let database: TestDatabase;
  let app: RunningApp;
  let browser: Browser;
  let seeded: Seeded;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase('console');
    const clock = new ReplayClock();
    app = await RunningApp.start(
      {
        EVENT_STORE: 'postgres',
        DATABASE_URL: database.connectionString,
        API_KEYS_FILE: consoleKeysFile(),
        LEDGER_CHECKPOINT_SECONDS: '1',
      },
      clock,
    );
    url = app.baseUrl;
    [browser, seeded] = await Promise.all([launchChromium(), seed(app, clock)]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.drop();
  });

  async function signedIn(key: string): Promise<Page> {
    const page = await newPage(browser);
    page.setDefaultTimeout(15_000);
    await signIn(page, url, key);
    return page;
  }

  /** Waits until the locator shows each text (the page loads and follows the ledger). */
  async function shows(locator: Locator, ...texts: Array<string | RegExp>): Promise<void> {
    for (const text of texts) await locator.filter({ hasText: text }).first().waitFor();
  }

  const accessible = async (page: Page) => expect(await seriousViolations(page)).toEqual([]);

  it('signs in with a key kept in session storage only, and refuses a wrong one', async () => {
    const page = await newPage(browser);
    await page.goto(`${url}/ui`);
    await accessible(page);
    await screenshot(page, 'sign-in');
    await page.getByLabel('API key or access token').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shows(page.getByRole('alert'), '401');
    await page.getByLabel('API key or access token').fill(PEOPLE.audrey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shows(page.getByText('Signed in as audrey'), 'auditor');
    // Evaluated in the page: what the browser keeps for this origin.
    const stored = await page.evaluate<unknown>(`({
      session: Object.keys(sessionStorage),
      local: Object.keys(localStorage),
      cookies: document.cookie,
    })`);
    expect(stored).toEqual({ session: ['change-ledger.credential'], local: [], cookies: '' });
    await page.context().close();
  });

  it('a responder finds the deploy that broke checkout and records it as the cause', async () => {
    const page = await signedIn(PEOPLE.olga);
    await page.getByRole('link', { name: 'Checkout5xx on checkout' }).click();
    const top = page.locator('tr.likeliest');
    await shows(top, seeded.culpritTitle);
    await shows(top, 'most likely');
    await shows(top, 'same-service');
    // The timeline draws every lane: the alerting service and what it depends on.
    const chart = page.getByRole('img', { name: /Deployments on checkout/ });
    await shows(chart, /checkout \(alerting\)/, /ledger-db \(depends\)/);
    // Beside it the other suspects: the unplanned hotfix, the rolled-back index change.
    await shows(page.locator('tbody tr'), 'Unplanned deploy');
    await shows(page.locator('tbody tr'), 'rolled-back');
    await accessible(page);
    await screenshot(page, 'incidents');

    await top.getByRole('button', { name: 'Record as cause' }).click();
    await page
      .getByLabel(`Why ${seeded.culpritTitle} caused Checkout5xx`)
      .fill('pool of 50 exhausts the database connections');
    await page.getByRole('button', { name: 'Record cause' }).click();
    await shows(page.getByRole('status').filter({ hasText: 'Cause recorded by' }), 'olga');
    const alert = await app.call<{ cause: { changeId: string; recordedBy: string } }>(
      'GET',
      `/alerts/${seeded.alertStream}`,
      { key: PEOPLE.audrey },
    );
    expect(alert.body.cause).toMatchObject({ changeId: seeded.culprit, recordedBy: 'olga' });
  });

  it('an approver approves a change waiting for them, and is refused on their own', async () => {
    const page = await signedIn(PEOPLE.rita);
    await page.getByRole('link', { name: 'Approvals' }).click();
    const queue = page.getByRole('region', { name: 'Queue, oldest first' });
    await shows(queue, seeded.awaitingTitle);
    // Her own change is not waiting for her.
    expect(await queue.textContent()).not.toContain('Tune checkout cache TTL');
    await queue.getByRole('link', { name: seeded.awaitingTitle }).click();
    const decide = page.getByRole('region', { name: 'Change to decide' });
    await decide.getByRole('table', { name: 'Risk factors' }).waitFor();
    await shows(decide, 'policy version');
    await accessible(page);
    await screenshot(page, 'approvals');
    await decide.getByLabel(/Comment/).fill('certificates checked on staging');
    await decide.getByRole('button', { name: 'Approve' }).click();
    await shows(decide.getByRole('status'), 'now approved');
    const view = await app.call<{
      status: string;
      approvals: Array<{ principal: string }>;
    }>('GET', `/changes/${seeded.awaiting}`, { key: PEOPLE.audrey });
    expect(view.body).toMatchObject({ status: 'approved', approvals: [{ principal: 'rita' }] });

    await page.goto(`${url}/ui/#/changes/${seeded.ritasOwn}`);
    await page.getByRole('button', { name: 'Approve' }).click();
    const refusal = page.getByRole('alert');
    await shows(refusal, '422');
    await shows(refusal, 'self-approval');
    await shows(refusal, 'rita requested it');
    await accessible(page);
    await screenshot(page, 'refusal');
  });

  it('shows a change: its lifecycle, the trail with hashes, the verification, the evidence', async () => {
    const page = await signedIn(PEOPLE.audrey);
    await page.goto(`${url}/ui/#/changes/${seeded.culprit}`);
    await shows(page.getByRole('status').first(), 'hash chain intact');
    const lifecycle = await page.locator('ol.lifecycle li strong').allTextContents();
    expect(lifecycle).toEqual(
      expect.arrayContaining([
        'ChangeRequested',
        'ChangeApproved',
        'RolloutStageCompleted',
        'ChangeDeployed',
      ]),
    );
    const trail = await app.call<Array<{ hash: string }>>(
      'GET',
      `/changes/${seeded.culprit}/events`,
      { key: PEOPLE.audrey },
    );
    const lastHash = trail.body[trail.body.length - 1].hash;
    await expect(page.locator(`code[title="${lastHash}"]`).count()).resolves.toBe(1);
    await accessible(page);
    await screenshot(page, 'change');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download evidence bundle' }).click();
    const bundle = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as {
      changes: Array<{ changeId: string }>;
    };
    expect(bundle.changes.map((c) => c.changeId)).toEqual([seeded.culprit]);
  });

  it('an auditor reads the period report and exports the findings as CSV', async () => {
    const page = await signedIn(PEOPLE.audrey);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await shows(page.locator('.verification'), 'Ledger verified');
    await page.getByRole('img', { name: 'Changes requested in the period by type' }).waitFor();
    const findings = page.getByRole('region', { name: /Findings/ });
    await shows(findings, 'deploy-without-approved-change');
    await shows(findings, 'self-approval-attempt');
    await accessible(page);
    await screenshot(page, 'compliance');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export findings as CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('compliance-findings.csv');
    const csv = readFileSync(await file.path(), 'utf8').split('\r\n');
    expect(csv[0]).toMatch(/^id,rule,/);
    expect(csv.some((line) => line.includes('self-approval-attempt'))).toBe(true);
    await page.getByText(/Exported .* KiB/).waitFor();
  });

  it('shows the four keys of delivery per service, bucket by bucket', async () => {
    const page = await signedIn(PEOPLE.audrey);
    await page.goto(`${url}/ui/#/delivery?service=checkout&bucket=day`);
    await page.getByRole('img', { name: 'Deployments per period' }).waitFor();
    await shows(page.locator('.figures'), /Deployments\s*[1-9]/);
    await accessible(page);
    await screenshot(page, 'delivery');
  });

  it('lists changes by service and status, each opening its record', async () => {
    const page = await signedIn(PEOPLE.bob);
    await page.getByRole('link', { name: 'Changes' }).click();
    await page.getByLabel('Service').fill('checkout');
    await page.getByLabel('Status').selectOption('deployed');
    await page.getByRole('button', { name: 'Filter' }).click();
    // Only the culprit is deployed on checkout: the other rows go once the filter applies.
    await page.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: seeded.culpritTitle }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await accessible(page);
    await screenshot(page, 'changes');
    await page.getByRole('link', { name: seeded.culpritTitle }).click();
    await page.getByRole('heading', { name: /Raise checkout connection pool/ }).waitFor();
  });

  it('follows the ledger: a page shows what was recorded after it opened', async () => {
    const page = await signedIn(PEOPLE.bob);
    await page.getByRole('link', { name: 'Approvals' }).click();
    await page
      .getByText(/Nothing is waiting for you|Queue/)
      .first()
      .waitFor();
    const created = await app.call<{ changeId: string }>('POST', '/changes', {
      key: PEOPLE.alice,
      body: changeRequest({
        title: 'Arrived while the page was open',
      }),
    });
    expect(created.status).toBe(201);
    await page.getByRole('link', { name: 'Arrived while the page was open' }).waitFor({
      timeout: 20_000,
    });
  });

  it('uses API types generated from the OpenAPI document the service serves', async () => {
    const document = await app.call<object>('GET', '/docs/json');
    const scratch = mkdtempSync(join(tmpdir(), 'change-ledger-api-types-'));
    writeFileSync(join(scratch, 'openapi.json'), JSON.stringify(document.body));
    execFileSync('bash', [
      'scripts/api-types.sh',
      join(scratch, 'openapi.json'),
      join(scratch, 'schema.ts'),
    ]);
    const generated = readFileSync(join(scratch, 'schema.ts'), 'utf8');
    expect(readFileSync('web/src/api/schema.ts', 'utf8')).toBe(generated);
  });
});

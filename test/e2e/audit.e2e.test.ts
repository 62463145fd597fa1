import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { addUsers, closeAppAndServer } from '../support/app-session';
import { openApp, pollUntil, type AppPage, type PageElement } from '../support/browser';
import { PING, getJson, ping, postJson } from '../support/http';
import { login, startServer, type RunningServer } from '../support/server';
import { signIn, signedInPage } from '../support/sign-in';

/**
 * Browser test of the audit page: an admin opens it, pages through the commands,
 * filters by actor, exports the filtered rows (CSV and NDJSON downloads hold exactly
 * those rows) and sees the chain verified; a viewer has no Audit entry and is refused the route.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(120_000);

const OPERATOR = { username: 'olivia', password: 'operator-password-1', role: 'operator' };
const VIEWER = { username: 'vera', password: 'viewer-password-01', role: 'viewer' };
const ADMIN_PINGS = 30;
const OPERATOR_PINGS = 3;
const PAGE_SIZE = 25;

interface AuditItem {
  commandId: string;
  actor: string | null;
  outcome: string;
}

describe('audit page (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let within: AppPage['within'];
  let all: AuditItem[];

  const rows = () => page.locator('[data-testid=audit-row]');
  /** Waits until the table holds exactly `count` rows. */
  const rowCount = (count: number) =>
    pollUntil(
      () => rows().count(),
      (seen) => seen === count,
      10_000,
      (seen) => `the table held ${seen} rows, not ${count},`,
    );
  const rowIds = () => rows().evaluateAll((nodes: PageElement[]) => nodes.map((n) => n.getAttribute('data-command-id')));

  beforeAll(async () => {
    server = await startServer();
    await addUsers(server, OPERATOR, VIEWER);
    for (let i = 0; i < ADMIN_PINGS; i++) await ping(server.baseUrl);
    const olivia = await login(server.baseUrl, OPERATOR.username, OPERATOR.password);
    for (let i = 0; i < OPERATOR_PINGS; i++) await ping(server.baseUrl, { authorization: `Bearer ${olivia.accessToken}` });
    const vera = await login(server.baseUrl, VIEWER.username, VIEWER.password);
    const denied = await postJson(server.baseUrl, '/api/commands', PING, { authorization: `Bearer ${vera.accessToken}` });
    if (denied.status !== 403) throw new Error(`a viewer's ping answered ${denied.status}`);
    const listed = await getJson<{ items: AuditItem[] }>(server.baseUrl, '/api/audit?limit=500');
    all = listed.body.items;
    if (all.length !== ADMIN_PINGS + OPERATOR_PINGS + 1)
      throw new Error(`expected ${ADMIN_PINGS + OPERATOR_PINGS + 1} audit rows, got ${all.length}`);
    ({ browser, page, within } = await openApp(server, { width: 1400, height: 900 }));
  }, 60_000);

  afterAll(() => closeAppAndServer(browser, server));

  it('opens for the admin with the newest commands and the chain verified', async () => {
    await within('admin sign-in', signIn(page, server!.baseUrl, { username: 'admin', password: server!.admin!.password }));
    await page.locator('[data-testid=nav-audit]').click();
    await within(
      'not on /audit',
      page.waitForURL((url) => url.pathname === '/audit', { timeout: 10_000 }),
    );
    await within('no audit rows', rows().first().waitFor({ timeout: 15_000 }));
    expect(await rowIds()).toEqual(all.slice(0, PAGE_SIZE).map((item) => item.commandId));
    const verification = page.locator('[data-testid=chain-verification][data-ok=true]');
    await within('chain never showed verified', verification.waitFor({ timeout: 15_000 }));
    expect(await verification.textContent()).toContain('Chain verified');
  });

  it('verifies again on demand', async () => {
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/audit/verify'), { timeout: 15_000 }),
      page.locator('[data-testid=verify-again]').click(),
    ]);
    expect(answer.status()).toBe(200);
    await within('chain not verified again', page.locator('[data-testid=chain-verification][data-ok=true]').waitFor({ timeout: 15_000 }));
  });

  it('pages to the older commands and back', async () => {
    await page.locator('[data-testid=audit-next]').click();
    await within(
      'page 2 never showed',
      page.locator('[data-testid=audit-page-number]', { hasText: 'Page 2' }).waitFor({ timeout: 10_000 }),
    );
    await within('page 2 rows never showed', rowCount(all.length - PAGE_SIZE));
    expect(await rowIds()).toEqual(all.slice(PAGE_SIZE).map((item) => item.commandId));
    expect(await page.locator('[data-testid=audit-next]').isDisabled()).toBe(true);
    await page.locator('[data-testid=audit-previous]').click();
    await within('back on page 1', page.locator('[data-testid=audit-page-number]', { hasText: 'Page 1' }).waitFor({ timeout: 10_000 }));
    await within('page 1 rows never came back', rowCount(PAGE_SIZE));
    expect(await rowIds()).toEqual(all.slice(0, PAGE_SIZE).map((item) => item.commandId));
  });

  it('filters by actor', async () => {
    await page.getByLabel('Actor').fill(OPERATOR.username);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await within('filter never applied', rowCount(OPERATOR_PINGS));
    const actors = await page.locator('[data-testid=audit-row] [data-testid=audit-actor]').allTextContents();
    expect(actors.map((a) => a.trim())).toEqual(Array(OPERATOR_PINGS).fill(OPERATOR.username));
    expect(await rowIds()).toEqual(all.filter((item) => item.actor === OPERATOR.username).map((item) => item.commandId));
  });

  it('exports the filtered rows as CSV and as NDJSON', async () => {
    const expected = all.filter((item) => item.actor === OPERATOR.username).map((item) => item.commandId);

    const [csv] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }),
      page.locator('[data-testid=audit-export-csv]').click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^vigil-audit-.*\.csv$/);
    const lines = readFileSync(await csv.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]?.startsWith('commandId,')).toBe(true);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(expected);

    const [ndjson] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }),
      page.locator('[data-testid=audit-export-ndjson]').click(),
    ]);
    const items = readFileSync(await ndjson.path(), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditItem);
    expect(items.map((item) => item.commandId)).toEqual(expected);
    expect(items.every((item) => item.actor === OPERATOR.username)).toBe(true);
  });

  it('shows the denied attempt with its outcome', async () => {
    await page.getByLabel('Actor').fill('');
    await page.getByLabel('Outcome').selectOption('denied');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await within('denied row never showed', rowCount(1));
    expect(await rows().first().getAttribute('data-outcome')).toBe('denied');
    expect((await rows().first().locator('[data-testid=audit-actor]').textContent())?.trim()).toBe(VIEWER.username);
  });

  it('gives a viewer no Audit entry in the header and refuses the route: back on the dashboard, saying why', async () => {
    const viewer = await signedInPage(browser!, server!.baseUrl, VIEWER);
    await within('no navigation for the viewer', viewer.locator('[data-testid=nav-alerts]').waitFor({ timeout: 10_000 }));
    expect(await viewer.locator('[data-testid=nav-audit]').count()).toBe(0);
    await viewer.goto(`${server!.baseUrl}/audit`, { waitUntil: 'domcontentloaded' });
    await within(
      'viewer was not sent to /',
      viewer.waitForURL((url) => url.pathname === '/', { timeout: 10_000 }),
    );
    await within(
      'no refusal message',
      viewer
        .locator('.mat-mdc-snack-bar-container', { hasText: 'Not allowed: role "viewer" lacks audit.read.' })
        .waitFor({ timeout: 5_000 }),
    );
    expect(await viewer.locator('[data-testid=audit-table]').count()).toBe(0);
    await viewer.context().close();
  });
});

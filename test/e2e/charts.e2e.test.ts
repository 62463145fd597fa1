import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { openApp, pollUntil, type AppPage } from '../support/browser';
import { closeAppAndServer } from '../support/app-session';
import { startServer, type RunningServer } from '../support/server';

/**
 * Browser test of the dashboard charts: after signing in through the page, the charts
 * canvas appears and the live CPU dataset grows as host samples arrive (the chart
 * container exposes its point count as `data-points`).
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(60_000);

const ADMIN_PASSWORD = 'e2e-admin-password-1';
describe('dashboard charts (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  let within: AppPage['within'];

  beforeAll(async () => {
    server = await startServer({ env: { VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    ({ browser, page, within } = await openApp(server, { width: 1280, height: 800 }));
    await page.goto(`${server.baseUrl}/`, { waitUntil: 'domcontentloaded' });
  });

  afterAll(async () => {
    await closeAppAndServer(browser, server);
  });

  it('signs in as admin through the page', async () => {
    await within(
      'not redirected to /login',
      page.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 }),
    );
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await within(
      'not sent to / after signing in',
      page.waitForURL((url) => url.pathname === '/', { timeout: 10_000 }),
    );
  });

  it('shows the charts canvas and the live CPU dataset grows within 10 s', async () => {
    const container = page.locator('[data-testid=chart-cpu-memory]');
    await within('charts canvas never appeared', container.locator('canvas').waitFor({ state: 'visible', timeout: 15_000 }));
    // Chart.js drew into it: the canvas has a real backing size.
    const width = await container.locator('canvas').evaluate((canvas) => (canvas as unknown as { width: number }).width);
    expect(width).toBeGreaterThan(0);
    const points = async () => Number(await container.getAttribute('data-points'));
    const first = await within(
      'CPU dataset never got a point',
      pollUntil(
        points,
        (n) => n > 0,
        10_000,
        (n) => `${n} points`,
      ),
    );
    await within(
      `CPU dataset stayed at ${first} points`,
      pollUntil(
        points,
        (n) => n > first,
        10_000,
        (n) => `${n} points`,
      ),
    );
    expect(Number(await container.getAttribute('data-points'))).toBeGreaterThan(first);
  });

  it('loads the 1h history range', async () => {
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/metrics/history') && r.url().includes('metric=cpu_percent'), { timeout: 10_000 }),
      page.locator('[data-testid=range-1h]').click(),
    ]);
    expect(answer.status()).toBe(200);
    await within('range did not switch to 1h', page.locator('[data-testid=metric-charts][data-range="1h"]').waitFor({ timeout: 5_000 }));
    expect(await page.locator('[data-testid=charts-error]').count()).toBe(0);
    await page.locator('[data-testid=range-live]').click();
    await page.locator('[data-testid=metric-charts][data-range="live"]').waitFor({ timeout: 5_000 });
  });
});

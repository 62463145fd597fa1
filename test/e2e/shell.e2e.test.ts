import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { openApp, type AppPage } from '../support/browser';
import { closeAppAndServer } from '../support/app-session';
import { startServer, type RunningServer } from '../support/server';

/**
 * Browser smoke test: the built web app (served by the built API) sends a signed-out
 * visitor to the login page, signs in as the first admin, connects to the SSE stream
 * and shows commands as they move to `completed`; then signs out.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(60_000);

const PING = { type: 'ping', target: 'vigil', environment: 'staging', params: {} };
const ADMIN_PASSWORD = 'e2e-admin-password-1';
const EXPIRED = 'Your session has expired; please sign in again.';

describe('web shell (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  let within: AppPage['within'];

  /** A bearer token for calls the test makes itself (Node fetch, no cookies). */
  async function apiToken(): Promise<string> {
    const response = await fetch(`${server!.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accessToken: string };
    return body.accessToken;
  }

  async function fillLogin(username: string, password: string): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  function onPath(path: string): (url: URL) => boolean {
    return (url) => url.pathname === path;
  }

  beforeAll(async () => {
    server = await startServer({ env: { VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    ({ browser, page, within } = await openApp(server, { width: 1280, height: 800 }));
    await page.goto(`${server.baseUrl}/`, { waitUntil: 'domcontentloaded' });
  });

  afterAll(async () => {
    await closeAppAndServer(browser, server);
  });

  it('sends a signed-out visitor to the login page', async () => {
    await within('not redirected to /login', page.waitForURL(onPath('/login'), { timeout: 10_000 }));
    await page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-testid=connection-status]').count()).toBe(0);
  });

  it('shows the error for a wrong password', async () => {
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/login'), { timeout: 10_000 }),
      fillLogin('admin', 'not-the-password'),
    ]);
    expect(answer.status()).toBe(401);
    const error = page.locator('[data-testid=login-error]');
    await within('no login error shown', error.waitFor({ state: 'visible', timeout: 5_000 }));
    const { message } = (await answer.json()) as { message: string };
    expect((await error.textContent())?.trim()).toBe(message);
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('signs in as admin, shows the user and connects to the stream', async () => {
    await fillLogin('admin', ADMIN_PASSWORD);
    await within('not sent to / after signing in', page.waitForURL(onPath('/'), { timeout: 10_000 }));
    const who = (await page.locator('[data-testid=current-user]').textContent()) ?? '';
    expect(who).toContain('admin');
    await within(
      'connection status never became "connected"',
      page.locator('[data-testid=connection-status]', { hasText: /^\s*connected\s*$/ }).waitFor({ timeout: 15_000 }),
    );
    const position = await page.locator('[data-testid=log-position]').textContent();
    expect(Number(position?.trim())).toBeGreaterThanOrEqual(0);
  });

  it('shows live host metrics from the collector', async () => {
    const strip = page.locator('[data-testid=host-metrics]');
    const cpu = page.locator('[data-testid=metric-cpu]');
    await within('CPU card never showed a percentage', cpu.filter({ hasText: /\d+(\.\d+)? %/ }).waitFor({ timeout: 10_000 }));
    const first = await strip.getAttribute('data-sample-time');
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // The collector samples every second: the strip must move on to a newer sample.
    await within(
      `host sample time stayed at ${first} for 10 s`,
      page.locator(`[data-testid=host-metrics][data-sample-time]:not([data-sample-time="${first}"])`).waitFor({ timeout: 10_000 }),
    );
    const next = (await strip.getAttribute('data-sample-time')) ?? '';
    expect(Date.parse(next)).toBeGreaterThan(Date.parse(first!));
    expect(await cpu.textContent()).toMatch(/\d+(\.\d+)? %/);
    expect(await page.locator('[data-testid=metric-memory-used]').textContent()).toMatch(/iB \/ .*iB/);
    // The services table is rendered (it may be empty in the test config).
    expect(await page.locator('[data-testid=services-table]').count()).toBe(1);
  });

  it('shows a ping posted from outside reaching completed', async () => {
    const response = await fetch(`${server!.baseUrl}/api/commands`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await apiToken()}` },
      body: JSON.stringify(PING),
    });
    expect(response.status).toBe(202);
    const { commandId } = (await response.json()) as { commandId: string };
    expect(typeof commandId).toBe('string');

    const row = page.locator(`[data-testid=activity-row][data-command-id="${commandId}"]`);
    await within(
      `command ${commandId} did not reach completed in 10 s`,
      row.locator('[data-testid=command-state]', { hasText: /^\s*completed\s*$/ }).waitFor({ timeout: 10_000 }),
    );
    const text = (await row.textContent()) ?? '';
    // who, what, target, environment, state, duration
    for (const part of ['admin', 'ping', 'vigil', 'staging', 'completed']) expect(text).toContain(part);
    expect(await row.locator('[data-testid=activity-duration]').textContent()).toMatch(/\d+(\.\d+)? m?s/);
    expect(await page.locator('[data-testid=event-list] [data-testid=event-row]').count()).toBeGreaterThanOrEqual(2);
  });

  it('sends a ping from the button', async () => {
    const rowsBefore = await page.locator('[data-testid=activity-row]').count();
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/commands') && r.request().method() === 'POST', { timeout: 10_000 }),
      page.locator('[data-testid=ping-button]').click(),
    ]);
    expect(answer.status()).toBe(202);
    const { commandId } = (await answer.json()) as { commandId: string };

    await within(
      `command row for the button's ping ${commandId} did not appear`,
      page.locator(`[data-testid=activity-row][data-command-id="${commandId}"]`).waitFor({ timeout: 10_000 }),
    );
    expect(await page.locator('[data-testid=activity-row]').count()).toBe(rowsBefore + 1);
    await within(
      `command ${commandId} did not reach completed in 10 s`,
      page
        .locator(`[data-testid=activity-row][data-command-id="${commandId}"]`)
        .locator('[data-testid=command-state]', { hasText: /^\s*completed\s*$/ })
        .waitFor({ timeout: 10_000 }),
    );
  });

  it('returns to the login page, saying why, when the session is gone', async () => {
    // The browser loses its session (as if it expired): the next API call answers 401.
    await page.context().clearCookies();
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/commands') && r.request().method() === 'POST', { timeout: 10_000 }),
      page.locator('[data-testid=ping-button]').click(),
    ]);
    await within('not sent to /login after a 401', page.waitForURL(onPath('/login'), { timeout: 10_000 }));
    expect((await page.locator('[data-testid=login-notice]').textContent())?.trim()).toBe(EXPIRED);

    await fillLogin('admin', ADMIN_PASSWORD);
    await within('not signed in again', page.waitForURL(onPath('/'), { timeout: 10_000 }));
    await within(
      'not connected again after signing in',
      page.locator('[data-testid=connection-status]', { hasText: /^\s*connected\s*$/ }).waitFor({ timeout: 15_000 }),
    );
  });

  it('signs out back to the login page', async () => {
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/logout'), { timeout: 10_000 }),
      page.locator('[data-testid=logout-button]').click(),
    ]);
    await within('not sent to /login after signing out', page.waitForURL(onPath('/login'), { timeout: 10_000 }));
    expect(await page.locator('[data-testid=login-notice]').count()).toBe(0);
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
    // The dashboard stays closed on a reload.
    await page.goto(`${server!.baseUrl}/`, { waitUntil: 'domcontentloaded' });
    await within('dashboard reachable after signing out', page.waitForURL(onPath('/login'), { timeout: 10_000 }));
  });
});

import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, recordPageProblems } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';

/**
 * Browser smoke test: the built web app (served by the built API) connects to the
 * SSE stream and shows commands as they move to `completed`.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(60_000);

const PING = { type: 'ping', target: 'vigil', environment: 'staging', params: {} };

describe('web shell (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let problems: () => string = () => '';

  /** Runs a browser wait and, if it times out, says what the page logged. */
  async function within<T>(what: string, wait: Promise<T>): Promise<T> {
    try {
      return await wait;
    } catch (error) {
      throw new Error(`${what}: ${(error as Error).message}\npage problems:\n${problems()}\nserver output (tail):\n${server?.output().slice(-2000) ?? ''}`);
    }
  }

  beforeAll(async () => {
    server = await startServer();
    const index = await fetch(`${server.baseUrl}/`);
    const html = await index.text();
    if (!index.ok || !html.includes('<vg-root')) {
      throw new Error(`GET / did not serve the web app (status ${index.status}); run \`npm run build:web\` first`);
    }
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    problems = recordPageProblems(page);
    await page.goto(`${server.baseUrl}/`, { waitUntil: 'domcontentloaded' });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      server.cleanup();
    }
  });

  it('connects to the stream', async () => {
    await within(
      'connection status never became "connected"',
      page.locator('[data-testid=connection-status]', { hasText: /^\s*connected\s*$/ }).waitFor({ timeout: 15_000 }),
    );
    const position = await page.locator('[data-testid=log-position]').textContent();
    expect(Number(position?.trim())).toBeGreaterThanOrEqual(0);
  });

  it('shows a ping posted from outside reaching completed', async () => {
    const response = await fetch(`${server!.baseUrl}/api/commands`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(PING),
    });
    expect(response.status).toBe(202);
    const { commandId } = (await response.json()) as { commandId: string };
    expect(typeof commandId).toBe('string');

    const row = page.locator('[data-testid=command-row]', { hasText: commandId });
    await within(
      `command ${commandId} did not reach completed in 10 s`,
      row.locator('[data-testid=command-state]', { hasText: /^\s*completed\s*$/ }).waitFor({ timeout: 10_000 }),
    );
    const text = (await row.textContent()) ?? '';
    for (const part of ['ping', 'vigil', 'staging', 'completed', commandId]) expect(text).toContain(part);
    expect(await page.locator('[data-testid=event-list] [data-testid=event-row]').count()).toBeGreaterThanOrEqual(2);
  });

  it('sends a ping from the button', async () => {
    const rowsBefore = await page.locator('[data-testid=command-row]').count();
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/commands') && r.request().method() === 'POST', { timeout: 10_000 }),
      page.locator('[data-testid=ping-button]').click(),
    ]);
    expect(answer.status()).toBe(202);
    const { commandId } = (await answer.json()) as { commandId: string };

    await within(
      `command row for the button's ping ${commandId} did not appear`,
      page.locator('[data-testid=command-row]', { hasText: commandId }).waitFor({ timeout: 10_000 }),
    );
    expect(await page.locator('[data-testid=command-row]').count()).toBe(rowsBefore + 1);
    await within(
      `command ${commandId} did not reach completed in 10 s`,
      page
        .locator('[data-testid=command-row]', { hasText: commandId })
        .locator('[data-testid=command-state]', { hasText: /^\s*completed\s*$/ })
        .waitFor({ timeout: 10_000 }),
    );
  });
});

import { jest } from '@jest/globals';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { closeAppAndServer } from '../support/app-session';
import { launchChromium, pollUntil } from '../support/browser';
import { configWith, demoLoad } from '../support/demo-config';
import { postJson } from '../support/http';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../support/server';

/**
 * axe-core's WCAG 2.1 A and AA rules on every page of the web app, in both themes and
 * in kiosk mode, as an admin (who sees every control) with real demo services running.
 * No rule is excluded: any violation fails, listed with the nodes it was found on.
 * The scan runs in a context that bypasses the CSP only so axe's script can be
 * injected; the app itself is the same build. Needs `npm run build` and Chromium.
 */
jest.setTimeout(240_000);

const PAGES = [
  '/',
  '/services',
  '/alerts',
  '/alerts/rules',
  '/approvals',
  '/audit',
  '/replay',
  '/admin/users',
  '/hosts',
  '/account',
] as const;
const KIOSK_PAGES = ['/', '/services', '/alerts'] as const;
const THEMES = ['light', 'dark'] as const;
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Violation {
  id: string;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

describe('accessibility of every page (axe-core, WCAG 2.1 AA)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const base = (): string => server?.baseUrl ?? '';

  beforeAll(async () => {
    server = await startServer({ supervisor: true, config: configWith({ staging: demoLoad({ from: 28001, to: 28002 }) }) });
    // Something in the audit trail and the activity feed.
    await postJson(base(), '/api/commands', { type: 'ping', target: 'vigil', environment: 'staging', params: {} });
    browser = await launchChromium();
  });
  afterAll(() => closeAppAndServer(browser, server));

  async function signedIn(theme: (typeof THEMES)[number]): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await context.addInitScript((chosen) => {
      (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('vigil.theme', chosen);
    }, theme);
    const page = await context.newPage();
    await page.goto(`${base()}/login`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    return page;
  }

  async function scan(page: Page, path: string): Promise<string[]> {
    await page.goto(`${base()}${path}`);
    await pollUntil(
      () => page.locator('main h1, main h2, main [data-testid]').count(),
      (count) => count > 0,
      15_000,
      () => `${path} showed no content`,
    );
    // Let the stream's first snapshot and charts render (what is scanned is what a user sees).
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(800);
    await page.evaluate(axe.source);
    const violations = await page.evaluate(
      (tags) =>
        (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Violation[] }> } }).axe
          .run((globalThis as unknown as { document: unknown }).document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
          })
          .then((results) =>
            results.violations.map((v) => ({
              id: v.id,
              help: v.help,
              nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
            })),
          ),
      WCAG_TAGS,
    );
    return violations.map(
      (violation) =>
        `${path}: ${violation.id} (${violation.help}) on ${violation.nodes.length} node(s): ${violation.nodes
          .slice(0, 4)
          .map((node) => `${JSON.stringify(node.target)} ${node.failureSummary?.split('\n').slice(1, 2).join(' ') ?? ''}`)
          .join('; ')}`,
    );
  }

  it.each(THEMES)('every page in the %s theme has no violation', async (theme) => {
    const page = await signedIn(theme);
    const found: string[] = [];
    for (const path of PAGES) found.push(...(await scan(page, path)));
    await page.context().close();
    expect(found).toEqual([]);
  });

  it.each(THEMES)('kiosk pages in the %s theme have no violation', async (theme) => {
    const page = await signedIn(theme);
    const found: string[] = [];
    for (const path of KIOSK_PAGES) found.push(...(await scan(page, `${path}?kiosk=1`)));
    await page.context().close();
    expect(found).toEqual([]);
  });

  it('announces a command outcome politely and gives each chart a text alternative with its latest values', async () => {
    const page = await signedIn('light');
    await page.goto(`${base()}/`);
    await pollUntil(
      () => page.locator('[data-testid=chart-cpu-summary]').getAttribute('aria-label'),
      (label) => /CPU % latest \d/.test(label ?? ''),
      20_000,
      (label) => `chart label "${label ?? ''}"`,
    );
    // Give the page its first snapshot, then a command ends: the live region says so.
    await page.locator('[data-testid=connection-status]').waitFor();
    expect((await postJson(base(), '/api/commands', { type: 'ping', target: 'vigil', environment: 'staging', params: {} })).status).toBe(
      202,
    );
    const announced = await pollUntil(
      () => page.locator('.cdk-live-announcer-element').textContent(),
      (text) => (text ?? '').includes('Command ping on vigil in staging completed'),
      10_000,
      (text) => `live region "${text ?? ''}"`,
    );
    expect(await page.locator('.cdk-live-announcer-element').getAttribute('aria-live')).toBe('polite');
    expect(announced).not.toContain('Alert');
    await page.context().close();
  });

  it('the login page has no violation', async () => {
    const context = await browser!.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base()}/login`);
    await page.evaluate(axe.source);
    const violations = await page.evaluate(() =>
      (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: { id: string }[] }> } }).axe
        .run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
        .then((results) => results.violations.map((v) => v.id)),
    );
    await context.close();
    expect(violations).toEqual([]);
  });
});

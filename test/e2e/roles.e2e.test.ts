import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_ROLES } from '@vigil/shared';
import { openApp, pollUntil, type AppPage, type PageElement } from '../support/browser';
import { addUsers, closeAppAndServer } from '../support/app-session';
import { configWith, demoService } from '../support/demo-config';
import { chooseEnvironment, environmentChoices } from '../support/environment-switcher';
import { eventually, getJson } from '../support/http';
import { demoProcessesOnPorts } from '../support/processes';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../support/server';

/**
 * Browser test of the layout per role: a viewer (who may view staging only), an
 * operator and an admin each sign in and see what their role allows: pages in the
 * header, environments in the switcher, controls on the dashboard and the Services
 * page. Also: the switcher filters the view, kiosk mode shows no controls, and the
 * metric cards move with live samples (real demo services under demo traffic).
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(120_000);

const PORTS = { from: 22001, to: 22012 };

const CONFIG = configWith(
  {
    production: [demoService({ script: 'web-server', ports: { from: 22001, to: 22002 }, metrics: true })],
    staging: [
      demoService({ script: 'web-server', ports: { from: 22011, to: 22012 }, metrics: true }),
      demoService({
        script: 'traffic',
        env: { TRAFFIC_TARGETS: 'http://127.0.0.1:22001,http://127.0.0.1:22011', TRAFFIC_PEAK_RPS: '20' },
      }),
    ],
  },
  { roles: { ...DEFAULT_ROLES, viewer: { description: 'Watches staging only.', environments: ['staging'] } } },
);

/** The page's <html> as far as this test reads it (the test project has no DOM types). */
interface PageGlobal {
  document: { documentElement: { getAttribute(name: string): string | null; classList: { contains(name: string): boolean } } };
}

const USERS = {
  viewer: { username: 'vera', password: 'viewer-password-1', role: 'viewer' },
  operator: { username: 'otto', password: 'operator-password-1', role: 'operator' },
};

interface ServiceBody {
  service: string;
  environment: string;
  status: string;
}

describe('roles, environments and kiosk (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let within: AppPage['within'];

  const nav = () => page.locator('[data-testid=nav] a').allTextContents();
  const serviceRows = (scope = '') => page.locator(`${scope} [data-testid=service-row]`.trim());

  async function signIn(username: string, password: string): Promise<void> {
    await page.context().clearCookies();
    await page.goto(`${server!.baseUrl}/login`, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await within(
      `${username} not sent to /`,
      page.waitForURL((url) => url.pathname === '/', { timeout: 10_000 }),
    );
    await within(
      `${username}: stream never connected`,
      page.locator('[data-testid=connection-status]', { hasText: /^\s*connected\s*$/ }).waitFor({ timeout: 15_000 }),
    );
  }

  async function openServices(): Promise<void> {
    await page.locator('[data-testid=nav-services]').click();
    await within(
      'not on /services',
      page.waitForURL((url) => url.pathname === '/services', { timeout: 10_000 }),
    );
    await within('services page never listed a service', page.locator('[data-testid=service-row]').first().waitFor({ timeout: 10_000 }));
  }

  beforeAll(async () => {
    server = await startServer({ config: CONFIG, supervisor: true });
    await eventually(
      'both web-servers to run',
      async () => {
        const { body } = await getJson<ServiceBody[]>(server!.baseUrl, '/api/services');
        return body.filter((s) => s.service === 'web-server' && s.status === 'running').length === 2 ? true : undefined;
      },
      20_000,
    );
    await addUsers(server, ...Object.values(USERS));
    ({ browser, page, within } = await openApp(server, { width: 1400, height: 900 }));
  }, 60_000);

  afterAll(async () => {
    await closeAppAndServer(browser, server);
    expect(demoProcessesOnPorts(PORTS.from, PORTS.to)).toEqual([]);
  });

  describe('viewer (staging only)', () => {
    it('sees Dashboard, Services and Alerts, and only staging in the switcher', async () => {
      await signIn(USERS.viewer.username, USERS.viewer.password);
      expect(await nav()).toEqual(['Dashboard', 'Services', 'Alerts', 'Approvals', 'Incidents', 'Notifications']);
      expect((await page.locator('[data-testid=current-role]').textContent())?.trim()).toBe('viewer');
      expect(await environmentChoices(page)).toEqual(['All environments', 'staging']);
    });

    it('sees staging only, and no controls on the dashboard or the Services page', async () => {
      await within(
        'no staging service row',
        page.locator('[data-testid=service-row][data-environment=staging]').first().waitFor({ timeout: 10_000 }),
      );
      expect(await page.locator('[data-testid=service-row][data-environment=production]').count()).toBe(0);
      expect(await page.locator('[data-testid=ping-button]').count()).toBe(0);
      await openServices();
      expect(await serviceRows().evaluateAll((rows: PageElement[]) => rows.map((r) => r.getAttribute('data-environment')))).toEqual([
        'staging',
        'staging',
      ]);
      expect(await page.locator('[data-testid^=action-]').count()).toBe(0);
      expect(await page.locator('[data-testid=services-page] input').count()).toBe(0);
    });

    it('cannot open Audit or Replay by address either', async () => {
      expect(await page.locator('[data-testid=nav-audit]').count()).toBe(0);
      expect(await page.locator('[data-testid=nav-replay]').count()).toBe(0);
      // The API refuses what the header hides.
      const audit = await page.evaluate(async () => (await fetch('/api/audit')).status);
      expect(audit).toBe(403);
    });
  });

  describe('operator', () => {
    it('sees both environments, and no Audit or Replay', async () => {
      await signIn(USERS.operator.username, USERS.operator.password);
      expect(await nav()).toEqual(['Dashboard', 'Services', 'Alerts', 'Approvals', 'Incidents', 'Notifications']);
      expect(await environmentChoices(page)).toEqual(['All environments', 'production', 'staging']);
    });

    it('filters the dashboard by the chosen environment', async () => {
      await within(
        'no production row',
        page.locator('[data-testid=service-row][data-environment=production]').waitFor({ timeout: 10_000 }),
      );
      const groups = () =>
        page
          .locator('[data-testid=environment-metrics]')
          .evaluateAll((nodes: PageElement[]) => nodes.map((n) => n.getAttribute('data-environment')));
      expect(await groups()).toEqual(['production', 'staging']);

      await chooseEnvironment(page, 'production');
      await within(
        'staging rows still shown',
        page.locator('[data-testid=service-row][data-environment=staging]').waitFor({ state: 'detached', timeout: 5_000 }),
      );
      expect(await serviceRows().evaluateAll((rows: PageElement[]) => rows.map((r) => r.getAttribute('data-environment')))).toEqual([
        'production',
      ]);
      expect(await groups()).toEqual(['production']);
      expect((await page.locator('[data-testid=dashboard-scope]').textContent())?.trim()).toBe('production');

      await chooseEnvironment(page, undefined);
      await within(
        'staging rows never came back',
        page.locator('[data-testid=service-row][data-environment=staging]').first().waitFor({ timeout: 5_000 }),
      );
    });

    it('cannot deploy to production (disabled, the reason as tooltip) but can in staging', async () => {
      await openServices();
      const production = page.locator('[data-testid=service-row][data-environment=production][data-service=web-server]');
      const staging = page.locator('[data-testid=service-row][data-environment=staging][data-service=web-server]');
      const deploy = production.locator('[data-testid=action-deploy]');
      expect(await deploy.isDisabled()).toBe(true);
      expect(await deploy.getAttribute('title')).toBe('role "operator" may not run deploy on web-server in production');
      expect(await production.locator('[data-testid=action-logs]').isEnabled()).toBe(true);
      expect(await staging.locator('[data-testid=action-deploy]').isEnabled()).toBe(true);
    });
  });

  describe('admin', () => {
    it('sees Audit, Replay and Users too', async () => {
      await signIn('admin', TEST_ADMIN_PASSWORD);
      expect(await nav()).toEqual([
        'Dashboard',
        'Services',
        'Alerts',
        'Approvals',
        'Audit',
        'Replay',
        'Users',
        'Hosts',
        'Incidents',
        'Notifications',
      ]);
      expect(await environmentChoices(page)).toEqual(['All environments', 'production', 'staging']);
      await page.locator('[data-testid=ping-button]').click();
      await within(
        "the admin's ping never completed in the activity feed",
        page.locator('[data-testid=activity-row][data-type=ping][data-state=completed]').waitFor({ timeout: 10_000 }),
      );
      expect(await page.locator('[data-testid=activity-row][data-type=ping] [data-testid=activity-who]').first().textContent()).toBe(
        'admin',
      );
    });

    it('sees metric values change on screen within a few seconds', async () => {
      const host = page.locator('[data-testid=host-metrics]');
      await within(
        'CPU card never showed a percentage',
        host.locator('[data-testid=metric-cpu]', { hasText: /\d+\.\d %/ }).waitFor({ timeout: 10_000 }),
      );
      const first = await host.getAttribute('data-sample-time');
      await within(
        `host cards stayed at the sample of ${first}`,
        page.locator(`[data-testid=host-metrics]:not([data-sample-time="${first}"])`).waitFor({ timeout: 5_000 }),
      );
      // Requests/s of staging comes from the scraped demo services under demo traffic.
      const requests = page.locator('[data-testid=environment-metrics][data-environment=staging] [data-testid=metric-requests]');
      await within(
        'staging requests/s never showed a rate above zero',
        requests.filter({ hasText: /[1-9][\d.]*\/s|0\.[1-9]\/s/ }).waitFor({ timeout: 15_000 }),
      );
      const shown = (await requests.locator('[data-testid=metric-value]').textContent())?.trim();
      await within(
        `staging requests/s stayed at ${shown}`,
        requests.locator('[data-testid=metric-value]').filter({ hasNotText: shown! }).waitFor({ timeout: 10_000 }),
      );
      // Every card says its level in words, as the alert rules put it.
      const states = await page.locator('[data-testid=metric-state]').allTextContents();
      expect(states.length).toBeGreaterThanOrEqual(8);
      for (const state of states) expect(['normal', 'warning', 'critical']).toContain(state.trim());
    });

    it('switches the theme and keeps it after a reload', async () => {
      const theme = () => page.evaluate(() => (globalThis as unknown as PageGlobal).document.documentElement.getAttribute('data-theme'));
      const before = await theme();
      await page.locator('[data-testid=theme-toggle]').click();
      // Applied by an effect on the next change detection, not within the click.
      const after = await within(
        'theme never switched',
        pollUntil(
          theme,
          (now) => now !== before,
          5_000,
          (now) => `still ${now}`,
        ),
      );
      expect(['light', 'dark']).toContain(after);
      await page.reload({ waitUntil: 'domcontentloaded' });
      await within('app not back after reload', page.locator('[data-testid=app-header]').waitFor({ timeout: 10_000 }));
      expect(await theme()).toBe(after);
    });
  });

  describe('kiosk mode', () => {
    it('shows the dashboard without any control, in large type, with a way out', async () => {
      await page.goto(`${server!.baseUrl}/?kiosk=1`, { waitUntil: 'domcontentloaded' });
      await within('kiosk header never shown', page.locator('[data-testid=app-header][data-kiosk=true]').waitFor({ timeout: 10_000 }));
      await within('no service rows in kiosk mode', page.locator('[data-testid=service-row]').first().waitFor({ timeout: 10_000 }));
      await within('charts never shown', page.locator('[data-testid=metric-charts]').waitFor({ timeout: 10_000 }));
      await within('no command in the activity feed', page.locator('[data-testid=activity-row]').first().waitFor({ timeout: 10_000 }));
      expect(await page.locator('[data-testid=nav]').count()).toBe(0);
      expect(await page.locator('[data-testid=environment-select]').count()).toBe(0);
      const buttons = await page
        .locator('button:visible')
        .evaluateAll((nodes: PageElement[]) => nodes.map((n) => n.getAttribute('data-testid')));
      expect(buttons).toEqual(['exit-kiosk']);
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobal).document.documentElement.classList.contains('vg-kiosk'))).toBe(
        true,
      );
    });

    it('stays a kiosk on the Services page, still without controls', async () => {
      await page.goto(`${server!.baseUrl}/services?kiosk=1`, { waitUntil: 'domcontentloaded' });
      await within('no service rows', page.locator('[data-testid=service-row]').first().waitFor({ timeout: 10_000 }));
      expect(await page.locator('[data-testid^=action-]').count()).toBe(0);
      expect(await page.locator('[data-testid=read-only-note]').textContent()).toContain('kiosk');
    });

    it('a wall display opened signed out at ?kiosk=1 is a kiosk again after signing in', async () => {
      const wall = await (await browser!.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      try {
        await wall.goto(`${server!.baseUrl}/services?kiosk=1`, { waitUntil: 'domcontentloaded' });
        await within(
          'not sent to /login',
          wall.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 }),
        );
        expect(new URL(wall.url()).searchParams.get('returnUrl')).toBe('/services?kiosk=1');
        await wall.getByLabel('Username').fill(USERS.viewer.username);
        await wall.getByLabel('Password').fill(USERS.viewer.password);
        await wall.getByRole('button', { name: 'Sign in' }).click();
        await within(
          'not back on /services',
          wall.waitForURL((url) => url.pathname === '/services', { timeout: 10_000 }),
        );
        await within(
          'not a kiosk after signing in',
          wall.locator('[data-testid=app-header][data-kiosk=true]').waitFor({ timeout: 10_000 }),
        );
        expect(await wall.locator('[data-testid=nav]').count()).toBe(0);
      } finally {
        await wall.context().close();
      }
    });

    it('leaves kiosk mode with the labelled button', async () => {
      await page.getByRole('button', { name: 'Exit kiosk mode' }).click();
      await within('kiosk never left', page.locator('[data-testid=nav]').waitFor({ timeout: 5_000 }));
      expect(new URL(page.url()).search).toBe('');
      expect(await page.locator('[data-testid=action-deploy]').count()).toBeGreaterThan(0);
    });
  });
});

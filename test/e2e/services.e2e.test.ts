import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { openApp, type AppPage } from '../support/browser';
import { addUsers, closeAppAndServer } from '../support/app-session';
import { eventually, getJson } from '../support/http';
import { demoProcessesOnPorts } from '../support/processes';
import { startServer, type RunningServer } from '../support/server';
import { configWith, demoService } from '../support/demo-config';
import { chooseEnvironment, environmentChoices } from '../support/environment-switcher';

/**
 * Browser test of the Services page: an operator restarts and deploys a real demo
 * service in staging through the page (with confirmation), watches the activity feed
 * and the service row change, and finds production deploys disabled with the reason.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(120_000);

const PORTS = { from: 21801, to: 21812 };

const CONFIG = configWith({
  staging: [demoService({ script: 'web-server', ports: { from: 21801, to: 21802 }, deploy: true })],
  production: [demoService({ script: 'web-server', ports: { from: 21811, to: 21812 }, deploy: true })],
});

const OPERATOR = { username: 'olivia', password: 'operator-password-1', role: 'operator' };

interface ServiceBody {
  service: string;
  environment: string;
  status: string;
}

describe('services page (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  let within: AppPage['within'];

  const row = (environment: string) => page.locator(`[data-testid=service-row][data-service=web-server][data-environment=${environment}]`);

  beforeAll(async () => {
    server = await startServer({ config: CONFIG, supervisor: true });
    await eventually(
      'both web-servers to run',
      async () => {
        const { body } = await getJson<ServiceBody[]>(server!.baseUrl, '/api/services');
        return body.length === 2 && body.every((s) => s.status === 'running') ? true : undefined;
      },
      20_000,
    );
    await addUsers(server, OPERATOR);
    ({ browser, page, within } = await openApp(server, { width: 1400, height: 900 }));
  }, 60_000);

  afterAll(async () => {
    await closeAppAndServer(browser, server);
    expect(demoProcessesOnPorts(PORTS.from, PORTS.to)).toEqual([]);
  });

  it('signs in as the operator and opens the Services page from the header', async () => {
    await page.goto(`${server!.baseUrl}/login`, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Username').fill(OPERATOR.username);
    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await within(
      'not sent to / after signing in',
      page.waitForURL((url) => url.pathname === '/', { timeout: 10_000 }),
    );
    await page.locator('[data-testid=nav-services]').click();
    await within(
      'not on /services',
      page.waitForURL((url) => url.pathname === '/services', { timeout: 10_000 }),
    );
    await within('no services table', page.locator('[data-testid=services-table]').first().waitFor({ timeout: 10_000 }));
    expect(await environmentChoices(page)).toEqual(['All environments', 'staging', 'production']); // configuration order
  });

  it('restarts staging web-server after confirmation: the feed shows it completed and the PID changes', async () => {
    await chooseEnvironment(page, 'staging');
    expect(await row('production').count()).toBe(0);
    const staging = row('staging');
    await within(
      'staging row never showed a PID',
      staging.locator('[data-testid=service-pids]', { hasText: /^\s*\d+\s*$/ }).waitFor({ timeout: 15_000 }),
    );
    const before = (await staging.locator('[data-testid=service-pids]').textContent())!.trim();

    await staging.locator('[data-testid=action-restart]').click();
    const confirm = page.locator('[data-testid=confirm-action]');
    await within('no confirmation dialog', confirm.waitFor({ timeout: 5_000 }));
    expect((await page.locator('[data-testid=confirm-message]').textContent())?.trim()).toBe('Restart web-server in staging?');
    await confirm.click();

    await within(
      'restart never reached completed in the feed',
      page.locator('[data-testid=activity-row][data-type=restart][data-state=completed]').waitFor({ timeout: 30_000 }),
    );
    await within(
      `PID stayed ${before}`,
      staging
        .locator('[data-testid=service-pids]', { hasText: /^\s*\d+\s*$/ })
        .filter({ hasNotText: before })
        .waitFor({ timeout: 15_000 }),
    );
    await within(
      'no snack bar for the completed restart',
      page.locator('.mat-mdc-snack-bar-container', { hasText: 'Completed: restart web-server in staging' }).waitFor({ timeout: 5_000 }),
    );
  });

  it('disables production deploy for the operator, with the reason as tooltip', async () => {
    await chooseEnvironment(page, 'production');
    const production = row('production');
    await within('no production row', production.waitFor({ timeout: 5_000 }));
    const deploy = production.locator('[data-testid=action-deploy]');
    expect(await deploy.isDisabled()).toBe(true);
    expect(await deploy.getAttribute('title')).toBe('role "operator" may not run deploy on web-server in production');
    expect(await production.locator('[data-testid=action-restart]').isDisabled()).toBe(true);
    expect(await production.locator('[data-testid=action-logs]').isEnabled()).toBe(true);
  });

  it('deploys a new version in staging and shows it in the row', async () => {
    await chooseEnvironment(page, undefined); // all environments: both rows
    await within('no production row under "All environments"', row('production').waitFor({ timeout: 5_000 }));
    const staging = row('staging');
    await staging.locator('[data-testid=deploy-version]').fill('2.1.0');
    await staging.locator('[data-testid=action-deploy]').click();
    await within('no confirmation dialog', page.locator('[data-testid=confirm-action]').waitFor({ timeout: 5_000 }));
    expect((await page.locator('[data-testid=confirm-message]').textContent())?.trim()).toBe('Deploy web-server 2.1.0 to staging?');
    await page.locator('[data-testid=confirm-action]').click();
    await within(
      'deploy never reached completed in the feed',
      page.locator('[data-testid=activity-row][data-type=deploy][data-state=completed]').waitFor({ timeout: 60_000 }),
    );
    expect(await page.locator('[data-testid=activity-row][data-type=deploy] [data-testid=deploy-progress]').getAttribute('value')).toBe(
      '100',
    );
    await within(
      'row never showed version 2.1.0',
      staging.locator('[data-testid=service-version]', { hasText: '2.1.0' }).waitFor({ timeout: 15_000 }),
    );
  });

  it('follows the logs of staging web-server in a panel', async () => {
    for (let i = 0; i < 3; i++) await fetch(`http://127.0.0.1:21801/page/e2e-log-${i}`).catch(() => undefined);
    await row('staging').locator('[data-testid=action-logs]').click();
    const output = page.locator('[data-testid=logs-panel] [data-testid=logs-output]');
    await within('logs panel stayed empty', output.filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 }));
  });
});

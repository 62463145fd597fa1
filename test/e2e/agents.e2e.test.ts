import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { agentConfig, enrolHost, hostStatus, startAgent, type RunningAgent } from '../support/agents';
import { closeAppAndServer } from '../support/app-session';
import { openApp, type AppPage } from '../support/browser';
import { configWith, demoService } from '../support/demo-config';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../support/server';
import { signIn } from '../support/sign-in';

/**
 * Browser test of agents: the admin enrols a host on the Hosts page (the token is shown
 * once inside the agent command), starts that agent with it, sees the agents' services
 * by host on the Services page, filters by host, restarts one there, and revokes a host.
 * Needs `npm run build` first and Chromium.
 */
jest.setTimeout(150_000);

const CONFIG = configWith({ staging: [], production: [] });

describe('agents in the web app (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let within: AppPage['within'];
  const agents: RunningAgent[] = [];

  const row = (service: string) => page.locator(`[data-testid=service-row][data-service=${service}]`);

  beforeAll(async () => {
    server = await startServer({ config: CONFIG });
    const token = await enrolHost(server.baseUrl, 'edge-2');
    agents.push(
      startAgent({
        server: server.baseUrl,
        name: 'edge-2',
        token,
        config: agentConfig([demoService({ script: 'api-server', name: 'api-edge', ports: { from: 25311, to: 25312 } })]),
      }),
    );
    ({ browser, page, within } = await openApp(server, { width: 1400, height: 900 }));
    await signIn(page, server.baseUrl, { username: 'admin', password: TEST_ADMIN_PASSWORD });
  }, 60_000);

  afterAll(async () => {
    for (const agent of agents) {
      await agent.stop();
      agent.cleanup();
    }
    await closeAppAndServer(browser, server);
  }, 60_000);

  it('enrols a host on the Hosts page: the token is shown once, in the exact agent command', async () => {
    await page.locator('[data-testid=nav-hosts]').click();
    await within('no hosts page', page.locator('[data-testid=enrol-form]').waitFor({ timeout: 10_000 }));
    await page.locator('[data-testid=host-name]').fill('edge-1');
    await page.locator('[data-testid=host-labels]').fill('rack=r1');
    await page.locator('[data-testid=enrol-submit]').click();
    const command = (await within('no agent command', page.locator('[data-testid=agent-command]').textContent({ timeout: 10_000 }))) ?? '';
    const match = /^VIGIL_AGENT_TOKEN=(\S+) npm run vigil -- agent --server (\S+) --name edge-1 --config vigil-agent\.yaml$/.exec(
      command.trim(),
    );
    expect(match).not.toBeNull();
    expect(match?.[2]).toBe(server!.baseUrl);
    agents.push(
      startAgent({
        server: server!.baseUrl,
        name: 'edge-1',
        token: match?.[1] ?? '',
        config: agentConfig([demoService({ script: 'web-server', name: 'web-edge', ports: { from: 25301, to: 25302 } })]),
      }),
    );
    await hostStatus(server!.baseUrl, 'edge-1', 'online');
    await within(
      'edge-1 never showed online on the page',
      page.locator('[data-testid=host-row][data-host=edge-1][data-status=online]').waitFor({ timeout: 20_000 }),
    );
  });

  it("shows the agents' services by host and restarts one from the Services page", async () => {
    await hostStatus(server!.baseUrl, 'edge-2', 'online');
    await page.locator('[data-testid=nav-services]').click();
    const web = row('web-edge');
    await within(
      'no web-edge row with a PID',
      web.locator('[data-testid=service-pids]', { hasText: /^\s*\d+\s*$/ }).waitFor({ timeout: 20_000 }),
    );
    await within('no api-edge row', row('api-edge').waitFor({ timeout: 20_000 }));
    expect((await web.locator('[data-testid=service-host]').textContent())?.trim()).toMatch(/^edge-1\s+online$/);

    await page.locator('[data-testid=host-filter]').selectOption('edge-1');
    await within('api-edge still shown under edge-1', row('api-edge').waitFor({ state: 'detached', timeout: 5_000 }));
    const before = (await web.locator('[data-testid=service-pids]').textContent())!.trim();
    await web.locator('[data-testid=action-restart]').click();
    const confirm = page.locator('[data-testid=confirm-action]');
    await within('no confirmation dialog', confirm.waitFor({ timeout: 5_000 }));
    await confirm.click();
    await within(
      'restart never completed in the feed',
      page.locator('[data-testid=activity-row][data-type=restart][data-state=completed]').waitFor({ timeout: 30_000 }),
    );
    await within(
      `PID stayed ${before}`,
      web
        .locator('[data-testid=service-pids]', { hasText: /^\s*\d+\s*$/ })
        .filter({ hasNotText: before })
        .waitFor({ timeout: 15_000 }),
    );
  });

  it('revokes a host from the Hosts page', async () => {
    await page.locator('[data-testid=nav-hosts]').click();
    await page.locator('[data-testid=host-row][data-host=edge-2] [data-testid=revoke-host]').click();
    const confirm = page.locator('[data-testid=confirm-action]');
    await within('no confirmation dialog', confirm.waitFor({ timeout: 5_000 }));
    await confirm.click();
    await within(
      'edge-2 never showed revoked',
      page.locator('[data-testid=host-row][data-host=edge-2][data-status=revoked]').waitFor({ timeout: 10_000 }),
    );
    await hostStatus(server!.baseUrl, 'edge-2', 'revoked');
  });
});

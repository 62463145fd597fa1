import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { addUsers, closeAppAndServer } from '../support/app-session';
import { openApp, type AppPage } from '../support/browser';
import { configWith, demoService } from '../support/demo-config';
import { eventually, getJson } from '../support/http';
import { demoProcessesOnPorts } from '../support/processes';
import { startServer, type RunningServer } from '../support/server';
import { signedInPage, signIn } from '../support/sign-in';

/**
 * Four eyes in the browser: an operator asks for a restart of a real demo service
 * in staging on the Services page, it awaits approval in their feed; an admin, in
 * their own page, approves it on the Approvals page; the restart runs and the
 * operator's feed shows it completed. Needs `npm run build` first and Chromium.
 */
jest.setTimeout(120_000);

const PORTS = { from: 26501, to: 26502 };
const CONFIG = configWith(
  { staging: [demoService({ script: 'web-server', ports: PORTS })] },
  { approvals: [{ commands: ['restart'], environments: ['staging'], approvers: ['admin'], expiresMinutes: 30 }] },
);
const OPERATOR = { username: 'otto', password: 'operator-password-1', role: 'operator' };
const APPROVER = { username: 'ada', password: 'approver-password-1', role: 'admin' };

describe('approvals (browser, two users)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let asker: Page;
  let approver: Page | undefined;
  let within: AppPage['within'];

  beforeAll(async () => {
    server = await startServer({ config: CONFIG, supervisor: true });
    await eventually(
      'the web-server to run',
      async () => {
        const { body } = await getJson<{ status: string }[]>(server!.baseUrl, '/api/services');
        return body.length === 1 && body[0].status === 'running' ? true : undefined;
      },
      20_000,
    );
    await addUsers(server, OPERATOR, APPROVER);
    ({ browser, page: asker, within } = await openApp(server, { width: 1400, height: 900 }));
  }, 60_000);

  afterAll(async () => {
    await approver?.context().close();
    await closeAppAndServer(browser, server);
    expect(demoProcessesOnPorts(PORTS.from, PORTS.to)).toEqual([]);
  });

  it('one asks, the other approves in their own page, and the command runs', async () => {
    await signIn(asker, server!.baseUrl, OPERATOR);
    await asker.locator('[data-testid=nav-services]').click();
    const row = asker.locator('[data-testid=service-row][data-service=web-server][data-environment=staging]');
    await within('no staging row', row.waitFor({ timeout: 10_000 }));
    await row.locator('[data-testid=action-restart]').click();
    await within('no confirmation dialog', asker.locator('[data-testid=confirm-action]').waitFor({ timeout: 5_000 }));
    await asker.locator('[data-testid=confirm-action]').click();
    await within(
      'the restart never showed awaiting-approval in the feed',
      asker.locator('[data-testid=activity-row][data-type=restart][data-state=awaiting-approval]').waitFor({ timeout: 10_000 }),
    );

    approver = await signedInPage(browser!, server!.baseUrl, APPROVER);
    await approver.locator('[data-testid=nav-approvals]').click();
    const pending = approver.locator('[data-testid=approval-row]');
    await within('no pending approval listed', pending.first().waitFor({ timeout: 10_000 }));
    expect(await pending.count()).toBe(1);
    expect((await pending.locator('[data-testid=approval-requested-by]').textContent())?.trim()).toBe('otto');
    expect(await pending.textContent()).toMatch(/restart\s+web-server/);
    expect(await pending.textContent()).toMatch(/staging/);
    await pending.locator('[data-testid=approve]').click();
    await within('the list never emptied', approver.locator('[data-testid=approvals-empty]').waitFor({ timeout: 10_000 }));

    await within(
      "the restart never completed in the asker's feed",
      asker.locator('[data-testid=activity-row][data-type=restart][data-state=completed]').waitFor({ timeout: 30_000 }),
    );
  });
});

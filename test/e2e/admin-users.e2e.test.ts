import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { addUsers, closeAppAndServer } from '../support/app-session';
import { openApp, pollUntil, type AppPage } from '../support/browser';
import { signedInPage, signIn } from '../support/sign-in';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../support/server';

/**
 * Browser test of running users from the web app: the admin adds an operator on
 * /admin/users (the generated password shown once), the operator signs in with it
 * and sees operator controls, the admin disables them and their open page is
 * signed out; a user changes their own password on /account.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(120_000);

describe('users and my account (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let admin: Page;
  let within: AppPage['within'];
  const base = (): string => server?.baseUrl ?? '';

  beforeAll(async () => {
    server = await startServer();
    await addUsers(server, { username: 'vera', password: 'vera-old-password', role: 'viewer' });
    const app = await openApp(server);
    browser = app.browser;
    admin = app.page;
    within = app.within;
    await signIn(admin, base(), { username: 'admin', password: TEST_ADMIN_PASSWORD });
  });
  afterAll(() => closeAppAndServer(browser, server));

  it('adds an operator who signs in with the shown password; disabling them signs their open page out', async () => {
    await admin.locator('[data-testid=nav-admin-users]').click();
    await within('the users table never listed admin', admin.locator('[data-testid=user-row][data-username=admin]').waitFor());
    // The admin's own row says why it cannot be disabled.
    expect(
      await admin.locator('[data-testid=user-row][data-username=admin] [data-testid=toggle-disabled]').getAttribute('aria-disabled'),
    ).toBe('true');

    await admin.locator('[data-testid=new-username]').fill('Not Valid');
    await admin.locator('[data-testid=create-user]').click();
    expect(await admin.locator('[data-testid=new-user-error]').textContent()).toContain('Username:');

    await admin.locator('[data-testid=new-username]').fill('olga');
    await admin.locator('[data-testid=new-role]').selectOption('operator');
    await admin.locator('[data-testid=create-user]').click();
    const password = (await within('no password was shown', admin.locator('[data-testid=shown-password-value]').textContent())) ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    await within('olga never appeared', admin.locator('[data-testid=user-row][data-username=olga]').waitFor());
    expect(await admin.locator('[data-testid=users-status]').textContent()).toContain('Created olga as operator');

    const olga = await signedInPage(browser!, base(), { username: 'olga', password });
    expect(await olga.locator('[data-testid=current-role]').textContent()).toBe('operator');
    await within('olga has no ping control', olga.locator('[data-testid=ping-button]').waitFor());
    expect(await olga.locator('[data-testid=nav-admin-users]').count()).toBe(0);

    await admin.locator('[data-testid=user-row][data-username=olga] [data-testid=toggle-disabled]').click();
    await admin.locator('[data-testid=confirm-action]').click();
    await within(
      'olga never showed as disabled',
      pollUntil(
        () => admin.locator('[data-testid=user-row][data-username=olga] [data-testid=user-status]').textContent(),
        (text) => text === 'Disabled',
        10_000,
        (text) => `status ${text ?? ''}`,
      ),
    );
    await within(
      "olga's open page was not signed out",
      pollUntil(
        () => Promise.resolve(new URL(olga.url()).pathname),
        (path) => path === '/login',
        20_000,
        (path) => `olga's page at ${path}`,
      ),
    );
    await olga.context().close();
  });

  it('changes the own password on My account, then signs in with the new one', async () => {
    const vera = await signedInPage(browser!, base(), { username: 'vera', password: 'vera-old-password' });
    await vera.locator('[data-testid=account-link]').click();
    await vera.locator('[data-testid=session-row][data-current=true]').waitFor();
    await vera.locator('[data-testid=current-password]').fill('vera-old-password');
    await vera.locator('[data-testid=next-password]').fill('vera-new-password-2');
    await vera.locator('[data-testid=repeat-password]').fill('vera-new-password-3');
    await vera.locator('[data-testid=change-password]').click();
    expect(await vera.locator('[data-testid=password-error]').textContent()).toContain('differ');
    await vera.locator('[data-testid=repeat-password]').fill('vera-new-password-2');
    await vera.locator('[data-testid=change-password]').click();
    await vera.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 });
    expect(await vera.getByText('Your password was changed').count()).toBe(1);
    await signIn(vera, base(), { username: 'vera', password: 'vera-new-password-2' });
    expect(await vera.locator('[data-testid=current-user]').textContent()).toContain('vera');
    await vera.context().close();
  });
});

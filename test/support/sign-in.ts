import type { Browser, Page } from 'playwright-core';
import { postJson } from './http';

export interface TestUser {
  username: string;
  password: string;
  role: string;
}

/** Creates users through POST /api/users (as the test server's admin). */
export async function createUsers(baseUrl: string, ...users: TestUser[]): Promise<void> {
  for (const user of users) {
    const created = await postJson(baseUrl, '/api/users', user);
    if (created.status !== 201) throw new Error(`POST /api/users ${user.username} answered ${created.status}: ${created.text}`);
  }
}

/** Signs in through the login page and waits until the app has left it. */
export async function signIn(page: Page, baseUrl: string, user: Pick<TestUser, 'username' | 'password'>): Promise<void> {
  await page.goto(`${baseUrl}/login`, { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 10_000 });
}

/** A second, separately signed-in page (its own cookies) in the same browser. */
export async function signedInPage(browser: Browser, baseUrl: string, user: Pick<TestUser, 'username' | 'password'>): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(page, baseUrl, user);
  return page;
}

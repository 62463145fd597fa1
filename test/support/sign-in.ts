import type { Browser, Page } from 'playwright-core';

/** Signs in through the login page and waits until the app has left it. */
export async function signIn(page: Page, baseUrl: string, user: { username: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`, { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 10_000 });
}

/** A second, separately signed-in page (its own cookies) in the same browser. */
export async function signedInPage(browser: Browser, baseUrl: string, user: { username: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(page, baseUrl, user);
  return page;
}

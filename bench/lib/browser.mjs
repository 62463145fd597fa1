// Headless Debian Chromium (playwright-core, no downloaded browsers) for the web
// benchmarks and scripts/screenshots.mjs, with the flags the browser tests use, and
// signing in through the app's own login page.
import { accessSync, constants, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = JSON.parse(readFileSync(new URL('../../test/support/chromium.json', import.meta.url), 'utf8'));

export async function launchChromium({ args = [] } = {}) {
  const executablePath = process.env.CHROMIUM_PATH ?? CHROMIUM.defaultExecutable;
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM.args, ...args], timeout: 30_000 });
}

/** Signs in through /login and waits until the app has left it. */
export async function signIn(page, base, username, password) {
  await page.goto(`${base}/login`, { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 });
}

/** Waits until the page's stream says "connected" (the first badge: the header's). */
export async function connected(page, timeout = 20_000) {
  await page
    .locator('[data-testid=connection-status]', { hasText: /^\s*connected\s*$/ })
    .first()
    .waitFor({ timeout });
}

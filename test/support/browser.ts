import { accessSync, constants, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Flags for a quiet, offline-friendly headless Chromium in CI containers (shared with bench/lib/browser.mjs). */
const CHROMIUM = JSON.parse(readFileSync(new URL('./chromium.json', import.meta.url), 'utf8')) as {
  defaultExecutable: string;
  args: string[];
};
export const CHROMIUM_ARGS: readonly string[] = CHROMIUM.args;

/** The system Chromium (`CHROMIUM_PATH` overrides); playwright-core downloads no browsers. */
export function chromiumExecutable(): string {
  const path = process.env.CHROMIUM_PATH ?? CHROMIUM.defaultExecutable;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found at ${path}. Install it with \`apt-get install chromium\` ` +
        '(or set CHROMIUM_PATH to a Chromium/Chrome executable).',
    );
  }
  return path;
}

/** Launches headless Chromium with a fresh temporary profile (playwright manages the user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumExecutable();
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: 30_000 });
}

/**
 * Polls `read` from Node until `done(value)` holds or `timeoutMs` passes, then returns the value.
 * Use it with locator reads instead of `page.waitForFunction`: that evaluates its predicate with
 * eval in the page, which the app's CSP (script-src 'self', no 'unsafe-eval') may refuse.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  describe: (last: T) => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${describe(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/**
 * Records the page's console errors, uncaught errors and failed requests, so a
 * failing browser test can say what the page saw.
 */
export function recordPageProblems(page: Page): () => string {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => {
    // EventSource requests are aborted on purpose when the page closes or reconnects.
    if (request.resourceType() === 'eventsource') return;
    problems.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return () => (problems.length === 0 ? '(no console errors)' : problems.join('\n'));
}

/**
 * The part of a DOM element that `evaluateAll` callbacks read. They run in the page, but the
 * test project compiles without DOM types, so the callbacks name their parameters with this.
 */
export interface PageElement {
  readonly tagName: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}

export interface AppPage {
  browser: Browser;
  page: Page;
  /** Runs a browser wait; if it fails, the error says what the page and the server logged. */
  within: <T>(what: string, wait: Promise<T>) => Promise<T>;
}

/**
 * Opens a running test server's web app in a fresh Chromium page (after checking
 * that `/` really serves the built app).
 */
export async function openApp(
  server: { baseUrl: string; output(): string },
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<AppPage> {
  const index = await fetch(`${server.baseUrl}/`);
  const html = await index.text();
  if (!index.ok || !html.includes('<vg-root')) {
    throw new Error(`GET / did not serve the web app (status ${index.status}); run \`npm run build:web\` first`);
  }
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport })).newPage();
  const problems = recordPageProblems(page);
  return {
    browser,
    page,
    within: async <T>(what: string, wait: Promise<T>): Promise<T> => {
      try {
        return await wait;
      } catch (error) {
        throw new Error(
          `${what}: ${(error as Error).message}\npage problems:\n${problems()}\nserver output (tail):\n${server.output().slice(-2000)}`,
        );
      }
    },
  };
}

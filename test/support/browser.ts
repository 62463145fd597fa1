import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Flags for a quiet, offline-friendly headless Chromium in CI containers. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The system Chromium (`CHROMIUM_PATH` overrides); playwright-core downloads no browsers. */
export function chromiumExecutable(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
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

import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { closeAppAndServer } from '../support/app-session';
import { openApp, type AppPage } from '../support/browser';
import { finished, servicesRunning, submit } from '../support/commands';
import { configWith, demoService } from '../support/demo-config';
import { eventually, logPosition, ping } from '../support/http';
import { pageStreamRecord, recordPageStream, streamGapsAndRepeats } from '../support/page-stream-recorder';
import { demoProcessesOnPorts } from '../support/processes';
import { signIn } from '../support/sign-in';
import { startServer, type RunningServer } from '../support/server';

/**
 * Browser test of the stream's reconnect: the server is stopped under an open page
 * (SIGTERM) and started again on the same data dir and port; commands run while the
 * page is still away. The page shows "reconnecting" with a countdown, resumes from
 * its last position, and its activity feed ends with every command exactly once, in
 * its final state; a command that was running at the stop shows as interrupted.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(180_000);

/** This suite's ports (the e2e range 22500-22599): one demo service and the server itself. */
const SERVICE_PORT = 22510;
const SERVER_PORT = 22590;
const CONFIG = configWith({ staging: [demoService({ script: 'web-server', ports: { from: SERVICE_PORT, to: SERVICE_PORT } })] });
const PINGS_WHILE_AWAY = 5;

describe('stream reconnect across a server restart (browser)', () => {
  let server: RunningServer | undefined;
  let app: AppPage | undefined;
  let page: Page;

  const status = () => page.locator('[data-testid=connection-status]').first();
  const activityRow = (commandId: string) => page.locator(`[data-testid=activity-row][data-command-id="${commandId}"]`);

  beforeAll(async () => {
    server = await startServer({ config: CONFIG, supervisor: true, port: SERVER_PORT });
    await servicesRunning(server.baseUrl, 1);
    app = await openApp(server, { width: 1400, height: 900 });
    page = app.page;
    await recordPageStream(page);
  }, 60_000);

  afterAll(async () => {
    await closeAppAndServer(app?.browser, server);
    expect(demoProcessesOnPorts(SERVICE_PORT, SERVICE_PORT)).toEqual([]);
  });

  let following = '';
  const pings: string[] = [];

  it('signs in, opens the Services page and is connected', async () => {
    await app!.within('admin was not signed in', signIn(page, server!.baseUrl, server!.admin!));
    await page.goto(`${server!.baseUrl}/services`, { waitUntil: 'domcontentloaded' });
    await app!.within(
      'never connected',
      status()
        .filter({ hasText: /^\s*connected\s*$/ })
        .waitFor({ timeout: 15_000 }),
    );
  });

  it('shows a logs command that follows for a minute as running', async () => {
    ({ commandId: following } = await submit(server!.baseUrl, {
      type: 'logs',
      target: 'web-server',
      environment: 'staging',
      params: { lines: 5, follow: true, followSeconds: 60 },
    }));
    await app!.within(
      'the following logs command never showed as running',
      activityRow(following).and(page.locator('[data-state=running]')).waitFor({ timeout: 15_000 }),
    );
  });

  it('shows "reconnecting" with a countdown once the server stops', async () => {
    await server!.stop();
    await app!.within(
      'never showed reconnecting',
      status()
        .filter({ hasText: /^\s*reconnecting\s*$/ })
        .waitFor({ timeout: 15_000 }),
    );
    // Whole seconds to the next attempt, at most the 15 s cap of the backoff.
    const countdown = page.locator('[data-testid=reconnect-countdown]').first();
    await app!.within(
      'no countdown while reconnecting',
      countdown.filter({ hasText: /^\s*retry in ([0-9]|1[0-5])s\s*$/ }).waitFor({ timeout: 15_000 }),
    );
  });

  it('takes in the commands run while it was away, each once and finished, after the server is back', async () => {
    // Keep the page away until the commands have run: its stream requests fail as they
    // did while the server was down (the test decides when it may come back, not the backoff timer).
    await page.route('**/api/stream*', (route) => route.abort('connectionrefused'));
    server = await server!.restart();
    await servicesRunning(server.baseUrl, 1);
    for (let i = 0; i < PINGS_WHILE_AWAY; i++) pings.push((await ping(server.baseUrl)).commandId);
    for (const commandId of pings) expect((await finished(server.baseUrl, commandId)).state).toBe('completed');
    expect((await finished(server.baseUrl, following)).state).toBe('interrupted');
    const serverPosition = await logPosition(server.baseUrl);
    expect((await status().textContent())?.trim()).toBe('reconnecting');

    await page.unroute('**/api/stream*');
    await app!.within(
      'never connected again',
      status()
        .filter({ hasText: /^\s*connected\s*$/ })
        .waitFor({ timeout: 30_000 }),
    );
    for (const commandId of pings) {
      await app!.within(
        `ping ${commandId} never showed completed`,
        activityRow(commandId).and(page.locator('[data-state=completed]')).waitFor({ timeout: 15_000 }),
      );
      expect(await activityRow(commandId).count()).toBe(1);
    }

    // The page resumed from its position: every event exactly once, none missing.
    const record = await eventually('the page to receive the events up to the restart', async () => {
      const current = await pageStreamRecord(page);
      return Math.max(0, ...current.positions) >= serverPosition ? current : undefined;
    });
    expect(record.snapshots).toHaveLength(1);
    expect(record.opened.some((url) => /[?&]lastEventId=\d+/.test(url))).toBe(true);
    expect(streamGapsAndRepeats(record.positions, record.snapshots[0])).toEqual({ repeated: [], missing: [] });
  });

  it('shows the command that was running at the stop as interrupted', async () => {
    await app!.within(
      'the logs command never showed interrupted',
      activityRow(following).and(page.locator('[data-state=interrupted]')).waitFor({ timeout: 15_000 }),
    );
    expect(await activityRow(following).count()).toBe(1);
    expect(await page.locator('[data-testid=activity-row]').count()).toBe(PINGS_WHILE_AWAY + 1);
  });
});

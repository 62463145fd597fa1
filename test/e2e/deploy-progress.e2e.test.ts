import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { closeAppAndServer } from '../support/app-session';
import { openApp, type AppPage } from '../support/browser';
import { configWith, demoService } from '../support/demo-config';
import { servicesRunning } from '../support/commands';
import { pageStreamRecord, recordPageStream } from '../support/page-stream-recorder';
import { demoProcessesOnPorts } from '../support/processes';
import { signIn } from '../support/sign-in';
import { startServer, type RunningServer } from '../support/server';

/**
 * Browser test of a deploy's progress: the deploy step of a real demo service reports
 * `PROGRESS <n> <step>` lines, which the server turns into `command.progress` events;
 * the activity feed's progress bar must move through them (not jump from 0 to 100 at
 * the end), name each step, and the services table then shows the new version.
 *
 * Two records: what the page's stream delivered (every `command.progress`, from its
 * EventSource) and what the feed row showed (each distinct reading, from a
 * MutationObserver). Steps that stay on screen (the deploy step's, STEP_MS apart, and
 * the restart phase, which lasts until the new instance is healthy) must have been
 * shown; steps reported back to back (`rolling restart` is followed at once by
 * `restarting instance 0`, at the same percent) may arrive in one render, so the
 * page is only required to have received them, in order.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(120_000);

const PORTS = { from: 22520, to: 22521 };
/** Slow enough steps that each one is on screen for a while (the demo default is 300 ms). */
const STEP_MS = 1_000;
const STEPS = ['fetching build', 'verifying checksum', 'running migrations', 'switching release'];
/** The restart phase of a deploy, as the executor and the supervisor name it. */
const RESTART_STEP = /^(rolling restart|restarting instance \d+)$/;
const CONFIG = configWith({
  staging: [demoService({ script: 'web-server', ports: PORTS, deploy: true, env: { DEMO_DEPLOY_STEP_MS: String(STEP_MS) } })],
});

interface ProgressReading {
  state: string | null;
  percent: number;
  step: string | null;
}

/**
 * Runs in the page: records every distinct (state, percent, step) the deploy's feed row
 * shows, from the moment it appears, through a MutationObserver (page source text: the
 * test project has no DOM types).
 */
const WATCH_DEPLOY_ROW = `(() => {
  const readings = [];
  window.__deployProgress = readings;
  const read = () => {
    const row = document.querySelector('[data-testid=activity-row][data-type=deploy]');
    const bar = row && row.querySelector('[data-testid=deploy-progress]');
    if (!bar) return;
    // The label beside the bar: "25%" or "25% · verifying checksum".
    const label = (bar.nextElementSibling ? bar.nextElementSibling.textContent : '').trim();
    const at = label.indexOf('·');
    const reading = { state: row.getAttribute('data-state'), percent: Number(bar.getAttribute('value')), step: at < 0 ? null : label.slice(at + 1).trim() };
    const last = readings[readings.length - 1];
    if (!last || last.state !== reading.state || last.percent !== reading.percent || last.step !== reading.step) readings.push(reading);
  };
  new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  read();
})()`;

describe('deploy progress in the activity feed (browser)', () => {
  let server: RunningServer | undefined;
  let app: AppPage | undefined;
  let page: Page;

  const staging = () => page.locator('[data-testid=service-row][data-service=web-server][data-environment=staging]');

  beforeAll(async () => {
    server = await startServer({ config: CONFIG, supervisor: true });
    await servicesRunning(server.baseUrl, 1);
    app = await openApp(server, { width: 1400, height: 900 });
    page = app.page;
  }, 60_000);

  afterAll(async () => {
    await closeAppAndServer(app?.browser, server);
    expect(demoProcessesOnPorts(PORTS.from, PORTS.to)).toEqual([]);
  });

  it('deploys 3.0.0 through the page and shows each step of its progress, then the version', async () => {
    await recordPageStream(page);
    await app!.within('admin was not signed in', signIn(page, server!.baseUrl, server!.admin!));
    await page.goto(`${server!.baseUrl}/services`, { waitUntil: 'domcontentloaded' });
    await app!.within('no staging row', staging().locator('[data-testid=service-version]').waitFor({ timeout: 15_000 }));
    const versionBefore = (await staging().locator('[data-testid=service-version]').textContent())?.trim();
    expect(versionBefore).not.toBe('3.0.0');
    await page.evaluate(WATCH_DEPLOY_ROW);

    await staging().locator('[data-testid=deploy-version]').fill('3.0.0');
    await staging().locator('[data-testid=action-deploy]').click();
    await app!.within('no confirmation dialog', page.locator('[data-testid=confirm-action]').waitFor({ timeout: 5_000 }));
    await page.locator('[data-testid=confirm-action]').click();

    const row = page.locator('[data-testid=activity-row][data-type=deploy]');
    await app!.within(
      'deploy never reached completed in the feed',
      row.and(page.locator('[data-state=completed]')).waitFor({ timeout: 60_000 }),
    );
    await app!.within(
      'row never showed version 3.0.0',
      staging()
        .locator('[data-testid=service-version]', { hasText: /^\s*3\.0\.0\s*$/ })
        .waitFor({ timeout: 15_000 }),
    );

    // The page's stream delivered every step, in order, the restart after the deploy step's.
    const delivered = (await pageStreamRecord(page)).progress;
    const deliveredSteps = delivered.map((progress) => progress.step);
    expect(deliveredSteps.filter((step) => STEPS.includes(step))).toEqual(STEPS);
    expect(deliveredSteps.indexOf('rolling restart')).toBeGreaterThan(deliveredSteps.indexOf(STEPS.at(-1)!));
    const deliveredPercents = delivered.map((progress) => progress.percent);
    expect(deliveredPercents).toEqual([...deliveredPercents].sort((a, b) => a - b));

    const readings = await page.evaluate<ProgressReading[]>('window.__deployProgress');
    const running = readings.filter((reading) => reading.state === 'running');
    // The bar moved while the command ran, through every step the deploy step reported, in order,
    // then showed the restart phase; it showed no step the stream had not delivered.
    expect(running.some((reading) => reading.percent > 0 && reading.percent < 100)).toBe(true);
    const steps = running.map((reading) => reading.step).filter((step, i, all): step is string => step !== null && all.indexOf(step) === i);
    expect(steps.filter((step) => STEPS.includes(step))).toEqual(STEPS);
    expect(steps.some((step) => RESTART_STEP.test(step))).toBe(true);
    expect(steps.filter((step) => !deliveredSteps.includes(step))).toEqual([]);
    const percents = readings.map((reading) => reading.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(readings.at(-1)).toMatchObject({ state: 'completed', percent: 100, step: '3.0.0 is live' });
    expect(await row.locator('[data-testid=deploy-progress]').getAttribute('aria-label')).toBe('Deploy progress of web-server');
  });
});

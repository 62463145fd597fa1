import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { closeAppAndServer } from '../support/app-session';
import { openApp, pollUntil, type AppPage } from '../support/browser';
import { runCli } from '../support/cli';
import { eventually, getJson, ping, postJson } from '../support/http';
import { startReview, stopReview, type ReviewServer } from '../support/review';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../support/server';
import { signIn } from '../support/sign-in';

/**
 * Browser test of the incident workspace: an admin opens an incident from a firing
 * alert (the form prefilled from it), adds a note about a past moment, clicks the
 * alert's timeline row and sees the replayed dashboard at that moment (the alert
 * firing; a row before it shows it not yet raised), exports the postmortem, and the
 * incident's exported bundle shows the same page in `vigil review`.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(180_000);

const WEB_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist', 'web', 'browser');
const INGEST_TOKEN = 'e2e-incidents-ingest-token-01';
const CONFIG = [
  'metrics:',
  `  ingestToken: ${INGEST_TOKEN}`,
  'alerts:',
  '  checkIntervalSeconds: 1',
  '  rules:',
  '    - name: queue-deep',
  '      kind: threshold',
  '      source: "queue*"',
  '      environment: staging',
  '      metric: queue_depth',
  '      comparator: ">"',
  '      threshold: 10',
  '      severity: critical',
  '      message: "queue {{source}} holds {{value}} jobs"',
].join('\n');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pad = (n: number): string => String(n).padStart(2, '0');
/** What a datetime-local input takes, in the browser's (= this process's) zone. */
function localInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

interface Incident {
  incidentId: string;
  title: string;
  origin?: { kind: string; id?: string };
  notes: { text: string; at: string }[];
}

describe('incidents (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let review: ReviewServer | undefined;
  let page: Page;
  let within: AppPage['within'];
  let alertId: string;
  let alertStartedAt: string;
  let pingAt: string;
  let incidentId: string;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vigil-incidents-e2e-'));
    server = await startServer({ config: CONFIG });
    await ping(server.baseUrl);
    pingAt = new Date().toISOString();
    await sleep(1100);
    const ingested = await postJson(
      server.baseUrl,
      '/api/metrics/ingest',
      { samples: [{ source: 'queue-e2e', environment: 'staging', values: { queue_depth: 42 } }] },
      { authorization: `Bearer ${INGEST_TOKEN}` },
    );
    if (ingested.status !== 202) throw new Error(`ingest answered ${ingested.status}: ${ingested.text}`);
    const alert = await eventually('the alert to fire', async () => {
      const { body } = await getJson<{ alerts: { alertId: string; source: string; startedAt: string }[] }>(
        server!.baseUrl,
        '/api/alerts?state=firing',
      );
      return body.alerts.find((a) => a.source === 'queue-e2e');
    });
    alertId = alert.alertId;
    alertStartedAt = alert.startedAt;
    ({ browser, page, within } = await openApp(server, { width: 1500, height: 1000 }));
    await within('admin sign-in', signIn(page, server.baseUrl, { username: 'admin', password: TEST_ADMIN_PASSWORD }));
  }, 90_000);

  afterAll(async () => {
    await stopReview(review);
    await closeAppAndServer(browser, server);
    rmSync(work, { recursive: true, force: true });
  });

  it('opens an incident from a firing alert, the form prefilled from it', async () => {
    await page.goto(`${server!.baseUrl}/alerts`, { waitUntil: 'domcontentloaded' });
    const row = page.locator(`[data-testid=alert-row][data-alert-id="${alertId}"]`);
    await within('alert never showed', row.waitFor({ timeout: 15_000 }));
    await row.locator('[data-testid=alert-open]').click();
    await row.locator('[data-testid=alert-incident-link]').click();
    await within('no incident form', page.locator('[data-testid=incident-form]').waitFor({ timeout: 10_000 }));
    expect(await page.locator('[data-testid=incident-title]').inputValue()).toBe('queue queue-e2e holds 42 jobs');
    await page.locator('[data-testid=incident-submit]').click();
    await within(
      'not on the incident page',
      page.waitForURL((url) => /^\/incidents\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: 10_000 }),
    );
    incidentId = new URL(page.url()).pathname.split('/')[2];
    const incident = (await getJson<Incident>(server!.baseUrl, `/api/incidents/${incidentId}`)).body;
    expect(incident.origin).toEqual({ kind: 'alert', id: alertId });
    await within(
      'heading',
      page.locator('[data-testid=incident-heading]', { hasText: 'queue queue-e2e holds 42 jobs' }).waitFor({ timeout: 10_000 }),
    );
  });

  it('adds a note about a past moment', async () => {
    const at = Date.parse(alertStartedAt) - 500;
    await page.locator('[data-testid=note-text]').fill('queue started backing up');
    await page.locator('[data-testid=note-at]').fill(localInput(at));
    await page.locator('[data-testid=note-submit]').click();
    await within(
      'note row never showed',
      page.locator('[data-testid=timeline-row-note]', { hasText: 'queue started backing up' }).waitFor({ timeout: 10_000 }),
    );
    const incident = (await getJson<Incident>(server!.baseUrl, `/api/incidents/${incidentId}`)).body;
    expect(incident.notes).toEqual([
      expect.objectContaining({ text: 'queue started backing up', at: new Date(Math.floor(at / 1000) * 1000).toISOString() }),
    ]);
  });

  it('seeks the replayed dashboard to a row: the alert fires at its row, not before', async () => {
    const alertInReplay = page.locator(`[data-testid=incident-dashboard] [data-testid=alert-row][data-alert-id="${alertId}"]`);
    await page.locator('[data-testid=timeline-row-alert]').first().click();
    await within(
      'the replayed dashboard never showed the alert',
      alertInReplay.and(page.locator('[data-state=firing]')).waitFor({ timeout: 15_000 }),
    );
    // A row before the alert: the replayed dashboard of that moment has no such alert yet.
    const pingRow = page.locator(`[data-testid=timeline-row-command][data-at="${await firstCommandAt()}"]`).first();
    await pingRow.click();
    await pollUntil(
      () => alertInReplay.count(),
      (n) => n === 0,
      15_000,
      (n) => `the alert still showed (${n}) at the ping's moment`,
    );
  });

  it('exports the postmortem', async () => {
    const download = page.waitForEvent('download');
    await page.locator('[data-testid=incident-export]').click();
    const file = join(work, 'postmortem.md');
    await (await download).saveAs(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# Postmortem: queue queue-e2e holds 42 jobs');
    expect(text).toContain('queue started backing up');
    expect(text).toMatch(/Chain head when this was written: position \d+, sha256 `[0-9a-f]{64}`/);
  });

  it("shows the incident's page from its exported bundle in vigil review", async () => {
    const exported = await runCli(['export', '--incident', incidentId], server!.dataDir);
    expect(exported.status).toBe(0);
    const bundle = join(work, 'incident.ndjson');
    writeFileSync(bundle, exported.stdout);
    review = await startReview(bundle, { VIGIL_WEB_ROOT: WEB_ROOT });
    const reviewPage = await browser!.newPage({ viewport: { width: 1500, height: 1000 } });
    await reviewPage.goto(`${review.baseUrl}/incidents/${incidentId}`, { waitUntil: 'domcontentloaded' });
    await within(
      'review never showed the incident',
      reviewPage.locator('[data-testid=incident-heading]', { hasText: 'queue queue-e2e holds 42 jobs' }).waitFor({ timeout: 20_000 }),
    );
    await within(
      'review never showed the note',
      reviewPage.locator('[data-testid=timeline-row-note]', { hasText: 'queue started backing up' }).waitFor({ timeout: 10_000 }),
    );
    expect(await reviewPage.locator('[data-testid=note-form]').count()).toBe(0);
    await reviewPage.locator('[data-testid=timeline-row-alert]').first().click();
    await within(
      'review: the replayed dashboard never showed the alert',
      reviewPage
        .locator(`[data-testid=incident-dashboard] [data-testid=alert-row][data-alert-id="${alertId}"]`)
        .waitFor({ timeout: 15_000 }),
    );
  });

  /** The time of the first command row (the ping before the alert). */
  async function firstCommandAt(): Promise<string> {
    const at = await page.locator('[data-testid=timeline-row-command]').first().getAttribute('data-at');
    expect(Date.parse(at!)).toBeLessThan(Date.parse(alertStartedAt));
    expect(Date.parse(at!)).toBeLessThanOrEqual(Date.parse(pingAt));
    return at!;
  }
});

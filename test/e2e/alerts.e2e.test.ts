import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { addUsers, closeAppAndServer } from '../support/app-session';
import { openApp, type AppPage, type PageElement } from '../support/browser';
import { eventually, getJson, postJson } from '../support/http';
import { startServer, type RunningServer } from '../support/server';
import { signIn, signedInPage } from '../support/sign-in';

/**
 * Browser test of the alerts panel: a low-threshold rule fires on an ingested sample,
 * the alert shows in the panel, an operator acknowledges and silences it through the
 * dialogs (the API agrees, the panel follows the stream), the timeline lists what
 * happened, and a viewer sees the alert without any action.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(120_000);

const INGEST_TOKEN = 'e2e-alerts-ingest-token-0123';
const OPERATOR = { username: 'olivia', password: 'operator-password-1', role: 'operator' };
const VIEWER = { username: 'vera', password: 'viewer-password-01', role: 'viewer' };

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

interface AlertBody {
  alertId: string;
  state: string;
  source: string;
  startedAt: string;
  acknowledged?: { by: string; comment: string };
  silenced?: { by: string; until: string; reason: string };
  timeline: { type: string; by?: string }[];
}

describe('alerts panel (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let within: AppPage['within'];
  let alertId: string;

  const row = (p: Page = page) => p.locator(`[data-testid=alert-row][data-alert-id="${alertId}"]`);
  const alertNow = async () => (await getJson<AlertBody>(server!.baseUrl, `/api/alerts/${alertId}`)).body;

  beforeAll(async () => {
    server = await startServer({ config: CONFIG });
    await addUsers(server, OPERATOR, VIEWER);
    const ingested = await postJson(
      server.baseUrl,
      '/api/metrics/ingest',
      { samples: [{ source: 'queue-e2e', environment: 'staging', values: { queue_depth: 42 } }] },
      { authorization: `Bearer ${INGEST_TOKEN}` },
    );
    if (ingested.status !== 202) throw new Error(`ingest answered ${ingested.status}: ${ingested.text}`);
    const alert = await eventually('the queue-deep alert to fire', async () => {
      const { body } = await getJson<{ alerts: AlertBody[] }>(server!.baseUrl, '/api/alerts?state=firing');
      return body.alerts.find((a) => a.source === 'queue-e2e');
    });
    alertId = alert.alertId;
    ({ browser, page, within } = await openApp(server, { width: 1400, height: 900 }));
  }, 60_000);

  afterAll(() => closeAppAndServer(browser, server));

  it('shows the raised alert in the panel, firing, with its severity as a word', async () => {
    await within('operator sign-in', signIn(page, server!.baseUrl, OPERATOR));
    await page.locator('[data-testid=nav-alerts]').click();
    await within(
      'not on /alerts',
      page.waitForURL((url) => url.pathname === '/alerts', { timeout: 10_000 }),
    );
    await within('alert never showed as firing', row().and(page.locator('[data-state=firing]')).waitFor({ timeout: 15_000 }));
    expect((await row().locator('[data-testid=alert-severity]').textContent())?.trim()).toBe('Critical');
    expect(await row().locator('[data-testid=alert-open]').textContent()).toContain('queue queue-e2e holds 42 jobs');
  });

  it('lets the operator acknowledge it through the dialog; the panel and the API show who', async () => {
    await row().locator('[data-testid=alert-ack]').click();
    const comment = page.getByLabel('Comment (optional)');
    await within('no ack dialog', comment.waitFor({ timeout: 5_000 }));
    await comment.fill('draining the queue');
    await page.locator('[data-testid=dialog-confirm]').click();
    await within('row never showed acknowledged', row().and(page.locator('[data-acknowledged=true]')).waitFor({ timeout: 10_000 }));
    expect(await row().locator('[data-testid=alert-acknowledged]').textContent()).toContain('Acknowledged by olivia');
    expect(await row().locator('[data-testid=alert-ack]').count()).toBe(0);
    expect((await alertNow()).acknowledged).toMatchObject({ by: 'olivia', comment: 'draining the queue' });
  });

  it('lets the operator silence it for a chosen time with a comment', async () => {
    await row().locator('[data-testid=alert-silence]').click();
    await within('no silence dialog', page.locator('[data-testid=silence-dialog]').waitFor({ timeout: 5_000 }));
    await page.getByLabel('15 minutes').check();
    await page.getByLabel('Comment (optional)').fill('known backlog');
    const before = Date.now();
    await page.locator('[data-testid=dialog-confirm]').click();
    await within('row never showed silenced', row().and(page.locator('[data-silenced=true]')).waitFor({ timeout: 10_000 }));
    expect(await row().locator('[data-testid=alert-silenced]').textContent()).toContain('Silenced by olivia');
    const { silenced } = await alertNow();
    expect(silenced).toMatchObject({ by: 'olivia', reason: 'known backlog' });
    const until = Date.parse(silenced!.until);
    expect(until).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1_000);
  });

  it('opens the timeline with raised, acknowledged and silenced (no replay link for an operator)', async () => {
    await row().locator('[data-testid=alert-open]').press('Enter');
    const entries = row().locator('[data-testid=timeline-entry]');
    await within('no timeline', entries.first().waitFor({ timeout: 5_000 }));
    expect(await entries.evaluateAll((nodes: PageElement[]) => nodes.map((n) => n.getAttribute('data-type')))).toEqual([
      'raised',
      'acknowledged',
      'silenced',
    ]);
    expect(await row().locator('[data-testid=alert-replay-link]').count()).toBe(0);
  });

  it('gives an admin a "Replay around this alert" link 10 minutes before it started', async () => {
    const admin = await signedInPage(browser!, server!.baseUrl, { username: 'admin', password: server!.admin!.password });
    await admin.goto(`${server!.baseUrl}/alerts`, { waitUntil: 'domcontentloaded' });
    await within('admin never saw the alert', row(admin).waitFor({ timeout: 15_000 }));
    await row(admin).locator('[data-testid=alert-open]').click();
    const href = await row(admin).locator('[data-testid=alert-replay-link]').getAttribute('href');
    const url = new URL(href!, server!.baseUrl);
    const { startedAt } = await alertNow();
    expect(url.pathname).toBe('/replay');
    expect(url.searchParams.get('from')).toBe(new Date(Date.parse(startedAt) - 10 * 60_000).toISOString());
    await admin.context().close();
  });

  it('shows a viewer the alert and its marks, but no ack or silence control', async () => {
    const viewer = await signedInPage(browser!, server!.baseUrl, VIEWER);
    await viewer.goto(`${server!.baseUrl}/alerts`, { waitUntil: 'domcontentloaded' });
    await within('viewer never saw the alert', row(viewer).waitFor({ timeout: 15_000 }));
    expect(await row(viewer).getAttribute('data-acknowledged')).toBe('true');
    expect(await viewer.locator('[data-testid=alert-ack]').count()).toBe(0);
    expect(await viewer.locator('[data-testid=alert-silence]').count()).toBe(0);
    expect(await viewer.locator('[data-testid=alerts-read-only]').textContent()).toContain('role "viewer" lacks alerts.ack');
    await viewer.context().close();
  });

  it('lets the operator silence every matching alert from the Silences form; the alert shows it and the API lists it', async () => {
    await page.goto(`${server!.baseUrl}/alerts`, { waitUntil: 'domcontentloaded' });
    await within('no alert row on /alerts', row().waitFor({ timeout: 15_000 }));
    expect(await row().locator('[data-testid=alert-matcher-silenced]').count()).toBe(0);
    const form = page.getByRole('form', { name: 'New silence' });
    await form.getByLabel('Rule').fill('queue-deep');
    await form.getByLabel('Environment').selectOption('staging');
    await form.getByLabel('For').selectOption({ label: '4 hours' });
    await form.getByLabel('Reason').fill('queue maintenance');
    await form.getByRole('button', { name: 'Silence matching alerts' }).click();
    const mark = row().locator('[data-testid=alert-matcher-silenced]');
    await within('matcher silence never shown on the alert', mark.waitFor({ timeout: 10_000 }));
    expect((await mark.textContent())?.replace(/\s+/g, ' ')).toContain(
      'Silenced by olivia for every alert matching rule=queue-deep, environment=staging',
    );
    await within('silence never listed', page.locator('[data-testid=silence-row][data-active=true]').waitFor({ timeout: 10_000 }));
    const { body } = await getJson<{ silences: { matchers: unknown; by: string; reason: string; until: string }[] }>(
      server!.baseUrl,
      '/api/silences',
    );
    expect(body.silences).toEqual([
      expect.objectContaining({ matchers: { rule: 'queue-deep', environment: 'staging' }, by: 'olivia', reason: 'queue maintenance' }),
    ]);
    expect(Date.parse(body.silences[0].until) - Date.now()).toBeGreaterThan(4 * 3_600_000 - 60_000);
  });
});

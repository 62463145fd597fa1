import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { closeAppAndServer } from '../support/app-session';
import { openApp, pollUntil, type AppPage } from '../support/browser';
import { configWith } from '../support/demo-config';
import { postJson } from '../support/http';
import { WebhookReceiver } from '../support/notification-fixtures';
import { signIn } from '../support/sign-in';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../support/server';

/**
 * Browser test of the alert rules page: the preview of a draft says it would have
 * fired on the last minutes' samples; the rule created in the form fires on live
 * samples (pushed through the real ingest API) and shows in the alerts panel; a test
 * message reaches a real HTTP receiver. Needs `npm run build` first and Chromium.
 */
jest.setTimeout(120_000);

const INGEST_TOKEN = 'alert-rules-e2e-ingest';

describe('alert rules page (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let within: AppPage['within'];
  let receiver: WebhookReceiver;
  let feeding: NodeJS.Timeout | undefined;
  const base = (): string => server?.baseUrl ?? '';
  const push = (value: number, secondsAgo = 0) =>
    postJson(
      base(),
      '/api/metrics/ingest',
      {
        samples: [
          {
            source: 'probe',
            environment: 'staging',
            time: new Date(Date.now() - secondsAgo * 1000).toISOString(),
            values: { latency_ms: value },
          },
        ],
      },
      { authorization: `Bearer ${INGEST_TOKEN}` },
    );

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    server = await startServer({
      config: configWith(
        { staging: [] },
        { metrics: { ingestToken: INGEST_TOKEN }, notifications: { targets: [{ type: 'webhook', name: 'ops-hook', url: receiver.url }] } },
      ),
    });
    const app = await openApp(server);
    browser = app.browser;
    page = app.page;
    within = app.within;
    await signIn(page, base(), { username: 'admin', password: TEST_ADMIN_PASSWORD });
  });
  afterAll(async () => {
    clearInterval(feeding);
    await closeAppAndServer(browser, server);
    await receiver.stop();
  });

  it('previews a draft, creates it, sees it fire on live samples, and sends a test message', async () => {
    for (const secondsAgo of [90, 60, 30]) expect((await push(secondsAgo === 90 ? 10 : 700, secondsAgo)).status).toBe(202);
    await page.goto(`${base()}/alerts`);
    await page.locator('[data-testid=alert-rules-link]').click();
    await within('the rules page never showed', page.locator('[data-testid=rule-form]').waitFor());

    await page.locator('[data-testid=rule-field-name]').fill('slow-probe');
    await page.locator('[data-testid=rule-field-metric]').fill('latency_ms');
    await page.locator('[data-testid=rule-field-threshold]').fill('a lot');
    await page.locator('[data-testid=rule-save]').click();
    expect(await page.locator('[data-testid=rule-error-threshold]').textContent()).toBeTruthy();

    await page.locator('[data-testid=rule-field-threshold]').fill('200');
    await page.locator('[data-testid=rule-field-source]').fill('probe');
    await page.locator('[data-testid=rule-preview]').click();
    await within(
      'the preview never said the draft would have fired',
      pollUntil(
        () =>
          page
            .locator('[data-testid=preview-verdict]')
            .textContent({ timeout: 1000 })
            .catch(() => ''),
        (text) => (text ?? '').trim().startsWith('Would have fired 1 time'),
        15_000,
        (text) => `verdict "${text ?? ''}"`,
      ),
    );

    await page.locator('[data-testid=rule-save]').click();
    await within('the new rule never listed', page.locator('[data-testid=rule-row][data-rule=slow-probe]').waitFor());
    expect(await page.locator('[data-testid=rule-row][data-rule=slow-probe] [data-testid=rule-origin]').textContent()).toBe(
      'created at run time by admin',
    );

    feeding = setInterval(() => void push(900), 500);
    await page.goto(`${base()}/alerts`);
    await within(
      'the alert of the new rule never showed in the alerts panel',
      pollUntil(
        () => page.getByText('slow-probe').count(),
        (count) => count > 0,
        20_000,
        () => 'no slow-probe alert',
      ),
    );
    clearInterval(feeding);

    await page.locator('[data-testid=alert-rules-link]').click();
    await page.locator('[data-testid=target-row][data-target=ops-hook] [data-testid=target-test]').click();
    await within(
      'the test message was not reported as sent',
      pollUntil(
        () => page.locator('[data-testid=rules-status]').textContent(),
        (text) => text === 'Test message sent to ops-hook.',
        10_000,
        (text) => `status "${text ?? ''}"`,
      ),
    );
    expect(receiver.requests.some((request) => JSON.stringify(request.body).includes('Test message from Vigil'))).toBe(true);
  });
});

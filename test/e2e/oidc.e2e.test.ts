import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, pollUntil } from '../support/browser';
import { send, type JsonResponse } from '../support/http';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, TestOidcProvider } from '../support/oidc-provider';
import { startServer, stopServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

/**
 * Single sign-on against a real OpenID Provider (oidc-provider 8 on loopback): in
 * Chromium, "Sign in with Test IdP" → the provider's login and consent pages → back
 * on the dashboard with the role mapped from the user's groups; an unmapped group is
 * refused with the message; a changed group changes the role at the next sign-in;
 * and a tampered state, a replayed code and a wrong nonce are refused.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(120_000);

let idp: TestOidcProvider;
let server: RunningServer;
let browser: Browser;

function configFor(issuer: string): string {
  return [
    'auth:',
    '  oidc:',
    `    issuer: ${issuer}`,
    `    clientId: ${IDP_CLIENT_ID}`,
    `    clientSecret: ${IDP_CLIENT_SECRET}`,
    '    label: Test IdP',
    '    roleMap:',
    '      vigil-admins: admin',
    '      vigil-ops: operator',
    '',
  ].join('\n');
}

/** Durable events of `types` from the start of the log (the admin's session), once `done` holds. */
interface LoggedEvent {
  type: string;
  data: Record<string, unknown>;
}

async function eventsOf(types: string, done: (events: LoggedEvent[]) => boolean): Promise<LoggedEvent[]> {
  const client = await SseClient.connect(server.baseUrl, `/api/stream?lastEventId=0&types=${encodeURIComponent(types)}`);
  const events = (): LoggedEvent[] => client.events.map((message) => message.json as unknown as LoggedEvent);
  try {
    await client.waitFor(`${types} events`, () => done(events()));
    return events();
  } finally {
    client.close();
  }
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return { context, page: await context.newPage() };
}

/** The provider's development pages: any password; consent once per user and client. */
async function passProviderPages(page: Page, login: string): Promise<void> {
  await page.waitForURL((url) => url.origin === idp.issuer, { timeout: 10_000 });
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password at all');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await pollUntil(
    async () => (new URL(page.url()).origin !== idp.issuer ? 'left' : (await consent.count()) > 0 ? 'consent' : 'waiting'),
    (state) => state !== 'waiting',
    10_000,
    (state) => `provider pages: ${state} at ${page.url()}`,
  );
  if (new URL(page.url()).origin === idp.issuer) await consent.click();
}

/** Signs in through SSO in a fresh context and returns the role the header shows. */
async function signInWithSso(login: string): Promise<{ page: Page; context: BrowserContext }> {
  const { context, page } = await newPage();
  await page.goto(`${server.baseUrl}/login`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await passProviderPages(page, login);
  await page.waitForURL((url) => url.origin === server.baseUrl, { timeout: 10_000 });
  return { context, page };
}

async function shownRole(page: Page): Promise<string | null> {
  const role = page.getByTestId('current-role');
  await role.waitFor({ timeout: 10_000 });
  return role.getAttribute('data-role');
}

function locationOf(response: JsonResponse): string {
  const location = response.headers.location;
  return typeof location === 'string' ? location : '';
}

beforeAll(async () => {
  idp = await TestOidcProvider.listen();
  server = await startServer({ config: configFor(idp.issuer) });
  idp.configure(`${server.baseUrl}/api/auth/oidc/callback`);
  idp.users.set('alice', { groups: ['vigil-ops'] });
  idp.users.set('bob', { groups: ['contractors'] });
  idp.users.set('carol', { groups: ['vigil-ops'] });
  idp.users.set('dave', { groups: ['vigil-ops'] });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser.close().catch(() => undefined);
  await stopServer(server);
  await idp.close();
});

describe('Sign in with the provider', () => {
  it('the login page offers it; a mapped group lands on the dashboard with its role', async () => {
    const { context, page } = await signInWithSso('alice');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await shownRole(page)).toBe('operator');
    await context.close();

    const created = await eventsOf('user.created', (events) => events.some((event) => event.data.username === 'alice'));
    const alice = created.find((event) => event.data.username === 'alice');
    expect(alice?.data).toMatchObject({ username: 'alice', role: 'operator', source: 'oidc', subject: 'alice', issuer: idp.issuer });
  });

  it('a user of an unmapped group is refused with the message, recorded as a failed login', async () => {
    const { context, page } = await newPage();
    await page.goto(`${server.baseUrl}/login`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await passProviderPages(page, 'bob');
    await page.waitForURL((url) => url.origin === server.baseUrl && url.pathname === '/login', { timeout: 10_000 });
    await pollUntil(
      () => page.getByTestId('login-error').textContent(),
      (text) => (text ?? '').includes('not in any group'),
      10_000,
      (text) => `login error was "${text}"`,
    );
    expect(new URL(page.url()).searchParams.get('sso_error')).toBe('unmapped');
    await context.close();
    const failed = await eventsOf('user.login-failed', (events) => events.some((event) => event.data.username === 'bob'));
    expect(failed.find((event) => event.data.username === 'bob')?.data.reason).toContain('no role mapped for groups [contractors]');
  });

  it('a changed group changes the role at the next sign-in (user.role-changed)', async () => {
    idp.users.set('alice', { groups: ['vigil-admins', 'vigil-ops'] });
    const { context, page } = await signInWithSso('alice');
    expect(await shownRole(page)).toBe('admin');
    await context.close();
    const changes = await eventsOf('user.role-changed', (events) => events.some((event) => event.data.username === 'alice'));
    expect(changes.find((event) => event.data.username === 'alice')?.data).toMatchObject({ role: 'admin', previousRole: 'operator' });
  });
});

describe('the callback refuses what was not this browser’s flow', () => {
  /** Runs carol's sign-in in Chromium up to the provider's redirect back, which is caught here instead of reaching Vigil. */
  async function capturedCallback(): Promise<{ url: URL; cookie: string }> {
    const { context, page } = await newPage();
    let captured: URL | undefined;
    await page.route('**/api/auth/oidc/callback**', async (route) => {
      captured = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'captured' });
    });
    await page.goto(`${server.baseUrl}/login`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await passProviderPages(page, 'carol');
    await pollUntil(
      () => Promise.resolve(captured),
      (url) => url !== undefined,
      10_000,
      () => 'the callback was not reached',
    );
    const flow = (await context.cookies(server.baseUrl + '/api/auth/oidc/callback')).find((cookie) => cookie.name === 'vigil_oidc');
    await context.close();
    if (!captured || !flow) throw new Error('no callback or no flow cookie');
    return { url: captured, cookie: `vigil_oidc=${flow.value}` };
  }

  const callback = (url: URL, cookie: string): Promise<JsonResponse> =>
    send(server.baseUrl, 'GET', `${url.pathname}${url.search}`, { headers: { cookie, authorization: '' } });

  it('a tampered state, then a replayed code', async () => {
    const { url, cookie } = await capturedCallback();
    const tampered = new URL(url);
    tampered.searchParams.set('state', `${url.searchParams.get('state') ?? ''}x`);
    const refused = await callback(tampered, cookie);
    expect(refused.status).toBe(302);
    expect(locationOf(refused)).toBe('/login?sso_error=state');

    // The genuine callback works once ...
    const first = await callback(url, cookie);
    expect(first.status).toBe(302);
    expect(locationOf(first)).toBe('/');
    expect(String(first.headers['set-cookie'])).toContain('vigil_session=');
    // ... and the same code again is refused, with its cookie ...
    const replay = await callback(url, cookie);
    expect(locationOf(replay)).toBe('/login?sso_error=state');
    // ... and inside a fresh flow of its own (the provider refuses the used code and the PKCE verifier).
    const fresh = await send(server.baseUrl, 'GET', '/api/auth/oidc/login', { headers: { authorization: '' } });
    expect(fresh.status).toBe(302);
    const freshState = new URL(locationOf(fresh)).searchParams.get('state') ?? '';
    const freshCookie = String(fresh.headers['set-cookie']).split(';')[0];
    const transplanted = new URL(url);
    transplanted.searchParams.set('state', freshState);
    const reused = await callback(transplanted, freshCookie);
    expect(locationOf(reused)).toBe('/login?sso_error=exchange');
    // No cookie at all: nothing to check against.
    expect(locationOf(await callback(url, ''))).toBe('/login?sso_error=state');
  });

  it('an ID token with a nonce other than this flow’s is refused', async () => {
    const { context, page } = await newPage();
    // The authorization request leaves with another nonce: the ID token comes back with it.
    await page.route(`${idp.issuer}/auth?**`, async (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('nonce', 'not-the-nonce-vigil-sent');
      await route.continue({ url: url.href });
    });
    await page.goto(`${server.baseUrl}/login`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await passProviderPages(page, 'dave');
    await page.waitForURL((url) => url.origin === server.baseUrl && url.pathname === '/login', { timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('sso_error')).toBe('exchange');
    await context.close();
    const failed = await eventsOf('user.login-failed', (events) => events.some((event) => String(event.data.reason).includes('nonce')));
    expect(failed.some((event) => String(event.data.reason).includes('nonce'))).toBe(true);
    // dave never became a user.
    const created = await eventsOf('user.created', (events) => events.some((event) => event.data.username === 'carol'));
    expect(created.some((event) => event.data.username === 'dave')).toBe(false);
  });
});

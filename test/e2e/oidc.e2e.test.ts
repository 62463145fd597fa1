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
  const callback = (url: URL, cookie: string): Promise<JsonResponse> =>
    send(server.baseUrl, 'GET', `${url.pathname}${url.search}`, { headers: { cookie, authorization: '' } });

  /** A flow begun over HTTP: its sealed cookie and the state it sent to the provider. */
  async function beginFlow(): Promise<{ cookie: string; state: string }> {
    const begun = await send(server.baseUrl, 'GET', '/api/auth/oidc/login', { headers: { authorization: '' } });
    expect(begun.status).toBe(302);
    const location = new URL(locationOf(begun));
    expect(location.origin).toBe(idp.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('nonce')).toBeTruthy();
    return { cookie: String(begun.headers['set-cookie']).split(';')[0], state: location.searchParams.get('state') ?? '' };
  }

  it('a tampered state is refused', async () => {
    const { cookie, state } = await beginFlow();
    const url = new URL(`${server.baseUrl}/api/auth/oidc/callback`);
    url.searchParams.set('code', 'some-code');
    url.searchParams.set('state', `${state}x`);
    url.searchParams.set('iss', idp.issuer);
    const refused = await callback(url, cookie);
    expect(refused.status).toBe(302);
    expect(locationOf(refused)).toBe('/login?sso_error=state');
    // No flow cookie at all, or an altered one: nothing to check against.
    url.searchParams.set('state', state);
    expect(locationOf(await callback(url, ''))).toBe('/login?sso_error=state');
    expect(locationOf(await callback(url, `${cookie.slice(0, -4)}AAAA`))).toBe('/login?sso_error=state');
  });

  it('a replayed code is refused, with its own cookie or inside a fresh flow', async () => {
    const { context, page } = await newPage();
    let seen: URL | undefined;
    // Watch (not intercept) the provider's redirect back: Vigil consumes it for real.
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/auth/oidc/callback') seen = url;
    });
    await page.goto(`${server.baseUrl}/login`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.waitForURL((url) => url.origin === idp.issuer, { timeout: 10_000 });
    const flow = (await context.cookies(`${server.baseUrl}/api/auth/oidc/callback`)).find((cookie) => cookie.name === 'vigil_oidc');
    await passProviderPages(page, 'carol');
    await page.waitForURL((url) => url.origin === server.baseUrl, { timeout: 10_000 });
    expect(await shownRole(page)).toBe('operator');
    await context.close();
    if (!seen || !flow) throw new Error('no callback seen or no flow cookie');

    const replay = await callback(seen, `vigil_oidc=${flow.value}`);
    expect(locationOf(replay)).toBe('/login?sso_error=state');
    // The same code in a fresh flow: the provider refuses it (used once, and not this flow's PKCE verifier).
    const fresh = await beginFlow();
    const transplanted = new URL(seen);
    transplanted.searchParams.set('state', fresh.state);
    const reused = await callback(transplanted, fresh.cookie);
    expect(locationOf(reused)).toBe('/login?sso_error=exchange');
  });

  it('an ID token with a nonce other than this flow’s is refused', async () => {
    const { context, page } = await newPage();
    // The authorization request leaves with another nonce: the ID token comes back with it.
    await page.route(
      (url) => url.pathname === '/api/auth/oidc/login',
      async (route) => {
        const answer = await route.fetch({ maxRedirects: 0 });
        const location = new URL(answer.headers().location);
        location.searchParams.set('nonce', 'not-the-nonce-vigil-sent');
        await route.fulfill({ response: answer, headers: { ...answer.headers(), location: location.href } });
      },
    );
    await page.goto(`${server.baseUrl}/login`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await passProviderPages(page, 'dave');
    await page.waitForURL((url) => url.origin === server.baseUrl && url.pathname === '/login', { timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('sso_error')).toBe('exchange');
    await context.close();
    // Wait for this test's own refusal: earlier tests' SSO refusals are in the log too, before it.
    const failed = await eventsOf('user.login-failed', (events) =>
      events.some((event) => event.data.username === '(sso)' && String(event.data.reason).includes('nonce')),
    );
    expect(failed.map((event) => event.data.reason)).toContainEqual(expect.stringContaining('nonce'));
    // dave never became a user.
    const created = await eventsOf('user.created', (events) => events.some((event) => event.data.username === 'carol'));
    expect(created.some((event) => event.data.username === 'dave')).toBe(false);
  });
});

import type { CreatedToken } from '@vigil/shared';
import { eventually, getJson, ping, postJson, send } from '../support/http';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

/**
 * GET /api/stream has two routes: session streams open on the raw request ahead of
 * Express (the direct route), everything else goes through the Nest controller.
 * Both must look the same to a client, and /metrics says which one served.
 */

let server: RunningServer;

async function opens(): Promise<{ direct: number; framework: number }> {
  const text = (await send(server.baseUrl, 'GET', '/metrics')).text;
  const count = (route: string): number =>
    Number(new RegExp(`^vigil_stream_opens_total\\{route="${route}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { direct: count('direct'), framework: count('framework') };
}

/** The response headers a client can compare: all but the date. */
function headersOf(client: SseClient): Record<string, unknown> {
  const { date: _date, ...rest } = client.headers;
  return rest;
}

const cookieHeader = (cookies: string[]): string => cookies.map((cookie) => cookie.split(';')[0]).join('; ');

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.stop();
  server.cleanup();
});

describe('the direct stream route', () => {
  it('serves session streams (bearer and cookie) and leaves API-token streams to Express, with the same headers and frames', async () => {
    const token = (
      await postJson<CreatedToken>(server.baseUrl, '/api/tokens', {
        name: 'stream reader',
        role: 'admin',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      })
    ).body;
    const before = await opens();
    const path = '/api/stream?types=command.*';
    const bearer = await SseClient.connect(server.baseUrl, path);
    const cookie = await SseClient.connect(server.baseUrl, path, { authorization: '', cookie: cookieHeader(server.admin?.cookies ?? []) });
    const viaToken = await SseClient.connect(server.baseUrl, path, { authorization: `Bearer ${token.token}` });
    const clients = [bearer, cookie, viaToken];
    try {
      for (const client of clients) {
        expect(client.status).toBe(200);
        await client.waitFor('snapshot', (messages) => messages.length >= 1);
      }
      expect(await opens()).toEqual({ direct: before.direct + 2, framework: before.framework + 1 });
      expect(headersOf(bearer)).toEqual(headersOf(viaToken));
      expect(headersOf(cookie)).toEqual(headersOf(viaToken));
      expect(bearer.headers['content-security-policy']).toContain("default-src 'self'");
      for (const client of clients) expect(client.retry).toBe(viaToken.retry);

      const { commandId } = await ping(server.baseUrl);
      const completed = (client: SseClient): string | undefined =>
        client.events.find((m) => m.json.type === 'command.completed' && (m.json.data as { commandId: string }).commandId === commandId)
          ?.data;
      for (const client of clients) await client.waitFor('command.completed', () => completed(client) !== undefined);
      expect(completed(bearer)).toBe(completed(viaToken));
      expect(completed(cookie)).toBe(completed(viaToken));
    } finally {
      for (const client of clients) client.close();
    }
  });

  it('leaves every refusal to Express: the one JSON error shape, and no stream opened', async () => {
    const before = await opens();
    const refusals: [Record<string, string>, string, number][] = [
      [{ authorization: '' }, '/api/stream', 401],
      [{ authorization: 'Bearer not-a-session-token' }, '/api/stream', 401],
      [{ authorization: 'Basic YWRtaW46YWRtaW4=' }, '/api/stream', 401],
      [{}, '/api/stream?types=no%20spaces', 400],
      [{}, '/api/stream?types=a&types=b', 400],
      [{}, '/api/stream?environment=mars', 404],
      [{ 'last-event-id': '-1' }, '/api/stream', 400],
      [{}, '/api/stream?lastEventId=abc', 400],
    ];
    for (const [headers, path, status] of refusals) {
      const response = await getJson<{ statusCode: number; error: string; message: string }>(server.baseUrl, path, headers);
      expect({ path, headers, status: response.status }).toEqual({ path, headers, status });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body.statusCode).toBe(status);
      expect(typeof response.body.error).toBe('string');
      expect(response.body.message.length).toBeGreaterThan(0);
    }
    expect(await opens()).toEqual(before);
  });

  it('logs a direct stream like any request when it ends: path without the query, status, user', async () => {
    const line = /GET \/api\/stream 200 [\d.]+ms admin/g;
    const logged = (): number => server.output().match(line)?.length ?? 0;
    // The earlier tests' streams have ended (and been logged) once the server counts none open.
    await eventually('no open streams', async () =>
      /^vigil_stream_clients 0$/m.test((await send(server.baseUrl, 'GET', '/metrics')).text) ? true : undefined,
    );
    const before = { lines: logged(), opens: await opens() };
    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=alert.*');
    await client.waitFor('snapshot', (messages) => messages.length >= 1);
    expect((await opens()).direct).toBe(before.opens.direct + 1);
    client.close();
    const deadline = Date.now() + 5000;
    while (logged() === before.lines && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logged()).toBe(before.lines + 1);
    expect(server.output()).not.toContain('types=alert');
  });
});

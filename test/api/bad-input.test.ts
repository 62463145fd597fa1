import { getJson, logPosition, postJson, send, PING } from '../support/http';
import { startServer, type RunningServer } from '../support/server';

/** Every bad request: a clear 4xx JSON error, no event written, the server still up. */
describe('bad input on POST /api/commands', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  const cases: {
    name: string;
    body: string | Buffer;
    headers?: Record<string, string>;
    status: number;
    message: RegExp;
    detail?: string;
  }[] = [
    { name: 'invalid JSON', body: '{"type":"ping",', status: 400, message: /JSON/ },
    { name: 'a JSON array', body: '[1,2]', status: 400, message: /invalid body/, detail: 'body' },
    { name: 'a bare string', body: '"ping"', status: 400, message: /JSON|invalid body/ },
    {
      name: 'wrong field types',
      body: JSON.stringify({ type: 'ping', target: 42, environment: ['staging'] }),
      status: 400,
      message: /invalid body/,
      detail: 'body.target',
    },
    {
      name: 'an unknown command type',
      body: JSON.stringify({ ...PING, type: 'format-disk' }),
      status: 400,
      message: /invalid body/,
      detail: 'body.type',
    },
    {
      name: 'a missing environment',
      body: JSON.stringify({ type: 'ping', target: 'vigil' }),
      status: 400,
      message: /invalid body/,
      detail: 'body.environment',
    },
    {
      name: 'unknown params',
      body: JSON.stringify({ ...PING, params: { extra: 1 } }),
      status: 400,
      message: /invalid body/,
      detail: 'body.params',
    },
    {
      name: 'an extra top-level field',
      body: JSON.stringify({ ...PING, sudo: true }),
      status: 400,
      message: /invalid body/,
      detail: 'body',
    },
    {
      name: 'a __proto__ key',
      body: '{"type":"ping","target":"vigil","environment":"staging","__proto__":{"admin":true}}',
      status: 400,
      message: /forbidden key "__proto__"/,
    },
    {
      name: 'a nested constructor key',
      body: '{"type":"ping","target":"vigil","environment":"staging","params":{"constructor":{"prototype":{}}}}',
      status: 400,
      message: /forbidden key/,
    },
    {
      name: 'a body over 64 KiB',
      body: JSON.stringify({ ...PING, params: { pad: 'x'.repeat(70 * 1024) } }),
      status: 413,
      message: /too large/,
    },
    {
      name: 'an unknown environment',
      body: JSON.stringify({ ...PING, environment: 'mars' }),
      status: 404,
      message: /unknown environment "mars"/,
    },
    {
      name: 'an environment with shell characters',
      body: JSON.stringify({ ...PING, environment: 'staging;rm -rf /' }),
      status: 400,
      message: /invalid body/,
      detail: 'body.environment',
    },
    {
      name: 'a bad Idempotency-Key',
      body: JSON.stringify(PING),
      headers: { 'idempotency-key': 'has spaces in it' },
      status: 400,
      message: /Idempotency-Key/,
      detail: 'Idempotency-Key',
    },
    { name: 'no body at all', body: '', status: 400, message: /invalid body/ },
  ];

  it.each(cases)('answers $status to $name and writes nothing', async ({ body, headers, status, message, detail }) => {
    const before = await logPosition(server.baseUrl);
    const response = await send<{ statusCode: number; error: string; message: string; details?: { path: string }[] }>(
      server.baseUrl,
      'POST',
      '/api/commands',
      {
        body,
        headers: { 'content-type': 'application/json', ...headers },
      },
    );
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body.statusCode).toBe(status);
    expect(typeof response.body.error).toBe('string');
    expect(response.body.message).toMatch(message);
    if (detail) expect(response.body.details?.some((entry) => entry.path === detail)).toBe(true);
    expect(response.text).not.toMatch(/node_modules|\/work\/|at .*\.js:\d+/);
    // Give any stray append a chance to land before checking none did.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await logPosition(server.baseUrl)).toBe(before);
    expect((await getJson(server.baseUrl, '/api/health')).status).toBe(200);
  });

  it('answers a JSON 404 for an unknown API route, never the web app', async () => {
    const response = await getJson<{ statusCode: number }>(server.baseUrl, '/api/does-not-exist', { accept: 'text/html' });
    expect(response.status).toBe(404);
    expect(response.body.statusCode).toBe(404);
  });

  it('returns the same command for a repeated Idempotency-Key, and 422 if the request differs', async () => {
    const key = `key-${Date.now()}`;
    const first = await postJson<{ commandId: string; position: number }>(server.baseUrl, '/api/commands', PING, {
      'idempotency-key': key,
    });
    const again = await postJson<{ commandId: string; position: number }>(server.baseUrl, '/api/commands', PING, {
      'idempotency-key': key,
    });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);

    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () =>
        postJson<{ commandId: string }>(server.baseUrl, '/api/commands', PING, { 'idempotency-key': `${key}-c` }),
      ),
    );
    expect(new Set(concurrent.map((response) => response.body.commandId)).size).toBe(1);
    expect(concurrent.every((response) => response.status === 202)).toBe(true);

    const before = await logPosition(server.baseUrl);
    const different = await postJson<{ message: string }>(
      server.baseUrl,
      '/api/commands',
      { ...PING, environment: 'production' },
      { 'idempotency-key': key },
    );
    expect(different.status).toBe(422);
    expect(different.body.message).toMatch(/different request/);
    expect(await logPosition(server.baseUrl)).toBe(before);
  });

  it('keeps serving after a burst of garbage', async () => {
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        send(server.baseUrl, 'POST', '/api/commands', {
          body: Buffer.from([0xff, 0xfe, i % 256]),
          headers: { 'content-type': 'application/json' },
        }),
      ),
    );
    const response = await postJson(server.baseUrl, '/api/commands', PING);
    expect(response.status).toBe(202);
  });
});

/**
 * Issue 17, point 6: /metrics passes promtool, a Last-Event-ID beyond the log's
 * head gets a fresh snapshot that says so, and the web app's files come from
 * serve-static/send (ETag, 304, HEAD, Range) with no index.html fallback for
 * API paths or `*.json`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logPosition, ping, send } from '../support/http';
import { startServer, stopServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

/** Runs a command to the end with `input` on stdin. */
function run(command: string, args: string[], input: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => {
      resolve({ status, output });
    });
    child.stdin.end(input);
  });
}

describe('ecosystem basics', () => {
  let server: RunningServer | undefined;
  let webRoot: string;

  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'vigil-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>vigil</title>');
    writeFileSync(join(webRoot, 'main.js'), 'console.log("vigil web app");\n');
    server = await startServer({ env: { VIGIL_WEB_ROOT: webRoot } });
  });
  afterAll(async () => {
    await stopServer(server);
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('GET /metrics passes promtool check metrics with no warning', async () => {
    if (!server) throw new Error('no server');
    const metrics = await send(server.baseUrl, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('vigil_nodejs_active_handles');
    const result = await run('promtool', ['check', 'metrics'], metrics.text);
    expect(result).toEqual({ status: 0, output: '' });
  });

  it('a Last-Event-ID beyond the head gets a fresh snapshot saying why, with an id that resets the client', async () => {
    if (!server) throw new Error('no server');
    await ping(server.baseUrl);
    const head = await logPosition(server.baseUrl);
    const client = await SseClient.connect(server.baseUrl, '/api/stream', { 'last-event-id': String(head + 1000) });
    try {
      await client.waitFor('the first message', (messages) => messages.length > 0);
      const first = client.messages[0];
      expect(first.json.type).toBe('snapshot');
      // The ping's own events may have landed meanwhile: the snapshot is at the head it was taken at.
      const at = Number(first.json.position);
      expect(at).toBeGreaterThanOrEqual(head);
      expect(first.id).toBe(String(at));
      expect(String(first.json.reason)).toMatch(new RegExp(`Last-Event-ID ${head + 1000} is beyond the log's head \\(${at}\\)`));
      // Live from there: the next event arrives.
      await ping(server.baseUrl);
      await client.waitFor('a live event', (messages) => messages.some((message) => message.json.type === 'command.accepted'));
    } finally {
      client.close();
    }
    expect(server.output()).toMatch(/is beyond the log's head/);
  });

  it('serves files with ETag, 304, HEAD and Range', async () => {
    if (!server) throw new Error('no server');
    const full = await send(server.baseUrl, 'GET', '/main.js');
    expect(full.status).toBe(200);
    const etag = full.headers.etag;
    expect(typeof etag).toBe('string');
    expect(full.headers['accept-ranges']).toBe('bytes');
    const again = await send(server.baseUrl, 'GET', '/main.js', { headers: { 'if-none-match': String(etag) } });
    expect(again.status).toBe(304);
    const head = await send(server.baseUrl, 'HEAD', '/main.js');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(full.text)));
    const part = await send(server.baseUrl, 'GET', '/main.js', { headers: { range: 'bytes=0-6' } });
    expect(part.status).toBe(206);
    expect(part.text).toBe('console');
    // The fallback page has the same validators.
    const page = await send(server.baseUrl, 'GET', '/services/deep/link', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>vigil</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    const pageAgain = await send(server.baseUrl, 'GET', '/services/deep/link', {
      headers: { accept: 'text/html', 'if-none-match': String(page.headers.etag) },
    });
    expect(pageAgain.status).toBe(304);
  });

  it.each(['/api/nothing', '/api', '/openapi.json', '/manifest.json', '/deep/config.json', '/metrics/x'])(
    '%s never falls back to index.html',
    async (path) => {
      if (!server) throw new Error('no server');
      const response = await send(server.baseUrl, 'GET', path, { headers: { accept: 'text/html,*/*' } });
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/application\/json/);
    },
  );
});

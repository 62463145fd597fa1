/**
 * Issue 17, point 3: VIGIL_LOG_FORMAT=json gives one JSON object a line (ISO-8601 UTC
 * `time`, `level`, `context`, `msg`, fields), the first-admin password as one record,
 * an access line per request without tokens or bodies; text mode has no colour
 * codes when not on a terminal; VIGIL_LOG_LEVEL drops what is below it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ecosystem-tools';
import { eventually, postJson, send } from '../support/http';
import { login, startServer, stopServer, type RunningServer } from '../support/server';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
/** An escape sequence (colour codes start with ESC [). */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const ANSI = /\u001b\[/;

function records(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logs in json mode', () => {
  let server: RunningServer | undefined;
  // Colour allowed by the environment: only the (absent) terminal may turn it on.
  const env = { VIGIL_LOG_FORMAT: 'json', VIGIL_ADMIN_PASSWORD: '', NO_COLOR: '' };
  beforeAll(async () => {
    server = await startServer({ auth: false, env });
  });
  afterAll(() => stopServer(server));

  it('writes only JSON lines, the password as one record, and an access line per request with no token or body', async () => {
    if (!server) throw new Error('no server');
    const output = server.output();
    const first = records(output).find((record) => record.password !== undefined);
    expect(first).toMatchObject({
      level: 'info',
      context: 'Auth',
      username: 'admin',
      msg: expect.stringContaining('first user') as string,
    });
    const password = String(first?.password);
    const session = await login(server.baseUrl, 'admin', password);
    const marker = 'body-marker-7f3a';
    const answered = await postJson(
      server.baseUrl,
      '/api/commands',
      { type: 'ping', target: 'vigil', environment: 'staging', params: { note: marker } },
      {
        authorization: `Bearer ${session.accessToken}`,
      },
    );
    expect(answered.status).toBeLessThan(500);
    await send(server.baseUrl, 'GET', `/api/health?token=${session.accessToken}`);

    const all = await eventually('the access lines', () => {
      const list = records(server?.output() ?? '');
      return list.some((record) => record.context === 'HTTP' && record.path === '/api/health') ? list : undefined;
    });
    for (const record of all) {
      expect(record.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(['fatal', 'error', 'warn', 'info', 'debug', 'verbose']).toContain(record.level);
      expect(typeof record.msg).toBe('string');
    }
    const command = all.find((record) => record.context === 'HTTP' && record.path === '/api/commands');
    expect(command).toMatchObject({ method: 'POST', status: answered.status, user: 'admin' });
    expect(typeof command?.durationMs).toBe('number');
    const text = server.output();
    expect(text).not.toContain(session.accessToken);
    expect(text).not.toContain(marker);
    expect(text).not.toMatch(ANSI);
    // The login's access line has no password either (only the first-admin record holds it).
    expect(text.split(password).length - 1).toBe(1);
  });
});

describe('logs in text mode', () => {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer({ auth: false, env: { VIGIL_ADMIN_PASSWORD: '', NO_COLOR: '' } });
  });
  afterAll(() => stopServer(server));

  it('has no colour codes when not on a terminal, UTC times, and the readable password box', () => {
    const output = server?.output() ?? '';
    expect(output).not.toMatch(ANSI);
    expect(output).toMatch(/\| Vigil created the first user\. Its password is shown only this once: +\|/);
    expect(output).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z +LOG \[Vigil\] listening on/);
  });
});

describe('VIGIL_LOG_LEVEL', () => {
  it('warn: no info records (no access lines, no start-up chatter)', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-log-level-'));
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'api', 'main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        VIGIL_PORT: String(port),
        VIGIL_HOST: '127.0.0.1',
        VIGIL_DATA_DIR: dataDir,
        VIGIL_SUPERVISOR: 'off',
        VIGIL_ADMIN_PASSWORD: 'vigil-test-admin-password',
        VIGIL_LOG_FORMAT: 'json',
        VIGIL_LOG_LEVEL: 'warn',
        VIGIL_WEB_ROOT: join(dataDir, 'no-web'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
    try {
      await eventually(
        'the server to answer',
        async () => ((await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined))?.ok ? true : undefined),
        30_000,
      );
      await fetch(`http://127.0.0.1:${port}/api/health`);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
    const list = records(output);
    // The missing web app is a warning: something is written, and only at warn or above.
    expect(list.some((record) => record.level === 'warn')).toBe(true);
    expect(list.filter((record) => record.level !== 'warn' && record.level !== 'error' && record.level !== 'fatal')).toEqual([]);
  }, 60_000);
});

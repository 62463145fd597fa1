/**
 * Fail-fast start-up (issue 17, point 5) and the CLI's own flags (point 6): a bad
 * config or setting stops the server before it writes anything, as one block with
 * file, line, key path and reason, and exit 1; `vigil config check|schema`,
 * `--version` and per-command `--help`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli';
import { startServer, stopServer, type RunningServer } from '../support/server';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'dist', 'api', 'main.js');

interface Run {
  status: number | null;
  output: string;
}

/** Starts the server with these settings and waits for it to exit (a bad start never listens). */
function runServer(env: Record<string, string>): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { ...process.env, VIGIL_PORT: '0', VIGIL_HOST: '127.0.0.1', VIGIL_SUPERVISOR: 'off', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not exit within 20 s:\n${output}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolveRun({ status, output });
    });
  });
}

const CORPUS: { name: string; yaml: string | null; line: number; key: string; reason: RegExp }[] = [
  { name: 'missing file', yaml: null, line: 0, key: 'VIGIL_CONFIG', reason: /no such file/ },
  {
    name: 'unknown key',
    yaml: 'stream:\n  heartbeatSeconds: 5\n  heartbeat: 5\n',
    line: 3,
    key: 'stream.heartbeat',
    reason: /unknown key/,
  },
  {
    name: 'wrong type',
    yaml: 'environments:\n  - name: staging\n    services:\n      - name: web\n        command: node\n        instances: two\n',
    line: 6,
    key: 'environments.0.services.0.instances',
    reason: /expected number/,
  },
  { name: 'bad YAML', yaml: 'stream:\n  heartbeatSeconds: 5\nhttp:\n\tbodyLimitKiB: 64\n', line: 4, key: '(YAML)', reason: /Tabs/ },
  { name: 'duplicate key', yaml: 'stream:\n  retryMs: 3000\n  retryMs: 4000\n', line: 3, key: '(YAML)', reason: /unique/ },
];

describe('start-up refuses a bad config before writing anything', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(CORPUS)('$name: exit 1 with file, line, key and reason, no stack trace, no data dir', async (entry) => {
    const file = join(dir, `${entry.name.replace(/\s/g, '-')}.yaml`);
    if (entry.yaml !== null) writeFileSync(file, entry.yaml);
    const dataDir = join(dir, `data-${entry.name.replace(/\s/g, '-')}`);
    const run = await runServer({ VIGIL_CONFIG: file, VIGIL_DATA_DIR: dataDir });
    expect(run.status).toBe(1);
    const place = entry.line > 0 ? `${file}:${entry.line}:` : file;
    const problem = run.output.split('\n').find((line) => line.includes(place) && line.includes(`${entry.key}:`));
    expect(problem).toBeDefined();
    expect(problem).toMatch(entry.reason);
    expect(run.output).not.toMatch(/^\s+at /m);
    expect(run.output).not.toMatch(/\[Nest\]/);
    // Nothing written: no data dir, so no signing key and no log.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('reports every bad setting with the config problems in one block', async () => {
    const file = join(dir, 'several.yaml');
    writeFileSync(file, 'http:\n  bodyLimitKiB: 0\n');
    const dataDir = join(dir, 'data-several');
    const run = await runServer({ VIGIL_CONFIG: file, VIGIL_DATA_DIR: dataDir, VIGIL_JWT_SECRET: 'short', VIGIL_ADMIN_PASSWORD: 'tiny' });
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/cannot be used \(3 problems\)/);
    expect(run.output).toContain(`${file}:2:3  http.bodyLimitKiB:`);
    expect(run.output).toMatch(/environment {2}VIGIL_JWT_SECRET: .*32 characters/);
    expect(run.output).toMatch(/environment {2}VIGIL_ADMIN_PASSWORD: /);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('vigil config check: ok for the default config, exit 1 with the same block for a bad one', async () => {
    const ok = await runCli(['config', 'check', join(ROOT, 'vigil.config.yaml')], dir);
    expect(ok).toMatchObject({ status: 0 });
    expect(ok.stdout).toContain('vigil.config.yaml: ok');
    const file = join(dir, 'check.yaml');
    writeFileSync(file, 'auth:\n  tokenHours: -1\n  bogus: true\n');
    const bad = await runCli(['config', 'check', file], dir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`${file}:2:3  auth.tokenHours:`);
    expect(bad.stderr).toContain(`${file}:3:3  auth.bogus: unknown key`);
    const missing = await runCli(['config', 'check', join(dir, 'nope.yaml')], dir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it('vigil config schema prints the JSON Schema kept in the repository (referenced by vigil.config.yaml)', async () => {
    const result = await runCli(['config', 'schema'], dir);
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(printed.properties)).toEqual(expect.arrayContaining(['environments', 'metrics', 'notifications', 'alerts']));
    expect(printed.additionalProperties).toBe(false);
    expect(JSON.parse(readFileSync(join(ROOT, 'vigil.config.schema.json'), 'utf8'))).toEqual(printed);
    expect(readFileSync(join(ROOT, 'vigil.config.yaml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./vigil.config.schema.json',
    );
  });
});

describe('the CLI flags', () => {
  it('--version prints the package version', async () => {
    const result = await runCli(['--version'], tmpdir());
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(result).toMatchObject({ status: 0, stdout: `vigil ${pkg.version}\n` });
  });

  it('per-command --help: a group lists its commands, a command shows its usage', async () => {
    const group = await runCli(['user', '--help'], tmpdir());
    expect(group.status).toBe(0);
    expect(group.stdout).toContain('vigil user add NAME --role ROLE');
    expect(group.stdout).toContain('vigil user list');
    expect(group.stdout).not.toContain('vigil verify');
    const one = await runCli(['config', 'check', '--help'], tmpdir());
    expect(one.status).toBe(0);
    expect(one.stdout).toMatch(/^usage: vigil config check \[FILE\]/);
    const unknown = await runCli(['nothing', '--help'], tmpdir());
    expect(unknown.status).toBe(2);
  });
});

describe('the start-up line', () => {
  let server: RunningServer | undefined;
  afterAll(() => stopServer(server));

  it('names the address the server is bound to, not localhost', async () => {
    server = await startServer({ auth: false });
    expect(server.output()).toMatch(new RegExp(`listening on http://127\\.0\\.0\\.1:${server.port} `));
  });
});

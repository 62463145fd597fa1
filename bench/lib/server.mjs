// Starts a server as a child process on 127.0.0.1 and stops it again: the real Vigil
// API (dist/api/main.js) or the bare SSE baseline. One start/wait/stop path for every
// benchmark (fanout, command-roundtrip, audit-export, collector-cost, metrics-ingest,
// logs-throughput).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminHeaders, BENCH_ADMIN_PASSWORD } from './auth.mjs';
import { freePort } from './free-port.mjs';
import { getJson } from './http.mjs';
import { makeTempDir, removeTempDir } from './tmp.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Children still running when the bench process exits (a crash skipped stop()) are
// killed rather than left orphaned.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
// SIGTERM (run-all's timeout) ends the process through 'exit', so the handler above runs.
if (process.listenerCount('SIGTERM') === 0) process.once('SIGTERM', () => process.exit(143));

/** The repo's vigil.config.yaml (demo environments and services), as text to extend. */
export const REPO_CONFIG_YAML = readFileSync(join(ROOT, 'vigil.config.yaml'), 'utf8');

/**
 * The real Vigil API as a child. The config is `configYaml` (default: the repo's
 * vigil.config.yaml) written to a temp file; the data dir is a fresh temp dir unless
 * `dataDir` is given (then it is the caller's and is left in place). The first admin's
 * password is set (VIGIL_ADMIN_PASSWORD), and once /api/health answers the bench signs
 * in: `headers` is `{ authorization: 'Bearer …' }` for every other request and SSE
 * stream (or {} against a build without /api/auth).
 */
export async function startVigil({ configYaml = REPO_CONFIG_YAML, env = {}, nodeArgs = [], dataDir, startTimeoutMs = 30_000 } = {}) {
  const ownDataDir = dataDir === undefined;
  const data = ownDataDir ? makeTempDir('vigil-bench-data-') : dataDir;
  const configDir = makeTempDir('vigil-bench-config-');
  const configFile = join(configDir, 'vigil.config.yaml');
  writeFileSync(configFile, configYaml);
  const cleanup = () => {
    if (ownDataDir) removeTempDir(data);
    removeTempDir(configDir);
  };
  const port = await freePort();
  let child;
  try {
    child = await startChild(
      ['--max-old-space-size=4096', ...nodeArgs, 'dist/api/main.js'],
      {
        VIGIL_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
        NO_COLOR: '1',
        ...env,
        VIGIL_PORT: String(port),
        VIGIL_HOST: '127.0.0.1',
        VIGIL_DATA_DIR: data,
        VIGIL_CONFIG: configFile,
      },
      port,
      startTimeoutMs,
    );
  } catch (error) {
    cleanup();
    throw error;
  }
  const stop = async () => {
    await child.stop();
    cleanup();
  };
  let headers;
  try {
    headers = await adminHeaders(child.base);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...child, dataDir: data, headers, stop };
}

/** The bare node:http SSE baseline (bench/baseline-sse-server.mjs); no authentication. */
export async function startBaselineSse({ frameBytes, nodeArgs = [] }) {
  const port = await freePort();
  const child = await startChild(
    [...nodeArgs, 'bench/baseline-sse-server.mjs'],
    { PORT: String(port), FRAME_BYTES: String(frameBytes) },
    port,
    30_000,
  );
  return { ...child, headers: {} };
}

async function startChild(args, env, port, startTimeoutMs) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  running.add(child);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      await getJson(`${base}/api/health`);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`server did not start:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, base, pid: child.pid, output: () => output, stop };
}

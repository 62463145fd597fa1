// Starts a server as a child process on 127.0.0.1 and stops it again.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';
import { getJson } from './http.mjs';
import { makeTempDir, removeTempDir } from './tmp.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The real Vigil API (dist/api/main.js) with a fresh temp data dir. */
export async function startVigil({ nodeArgs = [] } = {}) {
  const dataDir = makeTempDir('vigil-bench-data-');
  const port = await freePort();
  const child = await startChild(['--max-old-space-size=4096', ...nodeArgs, 'dist/api/main.js'], {
    VIGIL_PORT: String(port),
    VIGIL_HOST: '127.0.0.1',
    VIGIL_DATA_DIR: dataDir,
    VIGIL_CONFIG: `${ROOT}vigil.config.yaml`,
  }, port);
  return { ...child, stop: async () => { await child.stop(); removeTempDir(dataDir); } };
}

/** The bare node:http SSE baseline (bench/baseline-sse-server.mjs). */
export async function startBaselineSse({ frameBytes, nodeArgs = [] }) {
  const port = await freePort();
  return startChild([...nodeArgs, 'bench/baseline-sse-server.mjs'], { PORT: String(port), FRAME_BYTES: String(frameBytes) }, port);
}

async function startChild(args, env, port) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => { output = (output + chunk).slice(-20_000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      await getJson(`${base}/api/health`);
      break;
    } catch {
      if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`server did not start:\n${output}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return { port, base, pid: child.pid, output: () => output, stop };
}

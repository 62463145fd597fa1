// The real Vigil API (dist/api/main.js) as a child, with a config YAML and extra
// environment of the benchmark's choosing (lib/server.mjs always uses the repo's
// vigil.config.yaml). Fresh temp data dir; both are removed on stop().
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';
import { getJson } from './http.mjs';
import { makeTempDir, removeTempDir } from './tmp.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function startVigilWith({ configYaml, env = {}, nodeArgs = [], startTimeoutMs = 30_000 }) {
  const dataDir = makeTempDir('vigil-bench-data-');
  const configDir = makeTempDir('vigil-bench-config-');
  const configFile = join(configDir, 'vigil.config.yaml');
  writeFileSync(configFile, configYaml);
  const port = await freePort();
  const child = spawn(process.execPath, ['--max-old-space-size=4096', ...nodeArgs, 'dist/api/main.js'], {
    cwd: ROOT,
    env: { ...process.env, ...env, VIGIL_PORT: String(port), VIGIL_HOST: '127.0.0.1', VIGIL_DATA_DIR: dataDir, VIGIL_CONFIG: configFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => { output = (output + chunk).slice(-20_000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const cleanup = () => { removeTempDir(dataDir); removeTempDir(configDir); };

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) { cleanup(); throw new Error(`server exited early:\n${output}`); }
    try {
      await getJson(`${base}/api/health`);
      break;
    } catch {
      if (Date.now() > deadline) { await stop(); throw new Error(`server did not start:\n${output}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, base, pid: child.pid, dataDir, output: () => output, stop };
}

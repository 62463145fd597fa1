// Agent cost on its host: CPU and RSS of an idle `vigil agent` (the real CLI process)
// with the default collectors (host every second, host storage every 10 s) and no
// services, connected to a real server. Target: under 2 % of a core, under 60 MB RSS.
// Tiny check: node bench/agent-idle.mjs --seconds 2 --warmup 1
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberArgs } from './lib/args.mjs';
import { enrolHost, rssBytes } from './lib/hosts.mjs';
import { procCpu } from './lib/proc-cpu.mjs';
import { log, printResult } from './lib/result.mjs';
import { round } from './lib/stats.mjs';
import { startVigil } from './lib/server.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const opt = numberArgs({ seconds: 60, warmup: 10 });
const server = await startVigil({ configYaml: JSON.stringify({ environments: [{ name: 'staging' }] }) });
const dir = makeTempDir('vigil-bench-agent-');
let agent;
try {
  const token = await enrolHost(server, 'idle-1');
  const config = join(dir, 'vigil-agent.yaml');
  writeFileSync(config, JSON.stringify({ environments: [] }));
  agent = spawn(
    process.execPath,
    [
      'dist/api/cli/vigil-cli.js',
      'agent',
      '--server',
      server.base,
      '--name',
      'idle-1',
      '--config',
      config,
      '--data-dir',
      join(dir, 'data'),
    ],
    { cwd: ROOT, env: { ...process.env, VIGIL_AGENT_TOKEN: token }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  log(`agent ${agent.pid} started; warming up ${opt.warmup} s`);
  await new Promise((resolve) => setTimeout(resolve, opt.warmup * 1000));
  const cpuBefore = procCpu(agent.pid).totalMs;
  const started = performance.now();
  let peakRss = 0;
  while (performance.now() - started < opt.seconds * 1000) {
    peakRss = Math.max(peakRss, rssBytes(agent.pid));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const cpuPercent = ((procCpu(agent.pid).totalMs - cpuBefore) / (performance.now() - started)) * 100;
  const rssMb = peakRss / 1024 / 1024;
  log(`agent: ${round(cpuPercent, 2)} % of a core, peak RSS ${round(rssMb)} MB`);
  printResult('agent-idle', [
    { benchmark: 'idle agent CPU', result: round(cpuPercent, 2), unit: '% of a core', target: '< 2 %', met: cpuPercent < 2 },
    { benchmark: 'idle agent RSS (peak)', result: round(rssMb), unit: 'MB', target: '< 60 MB', met: rssMb < 60 },
  ]);
} finally {
  agent?.kill('SIGTERM');
  await server.stop();
  removeTempDir(dir);
}

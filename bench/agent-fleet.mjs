// Server cost per agent: N simulated agents speaking the real agent protocol (hello,
// one SSE command stream each, a metrics batch a second, a heartbeat every 5 s, claims
// and outcomes) against one node; server CPU and RSS, and the p99 round trip of a
// command to an agent's service (POST /api/commands → the agent's completed outcome
// seen on /api/stream). Target: 100 agents under 20 % of a core.
// Tiny check: node bench/agent-fleet.mjs --agents 3 --seconds 2 --commands 5
import { numberArgs } from './lib/args.mjs';
import { enrolHost, rssBytes } from './lib/hosts.mjs';
import { keepAliveAgent, request } from './lib/http.mjs';
import { procCpu } from './lib/proc-cpu.mjs';
import { log, printResult } from './lib/result.mjs';
import { percentile, round } from './lib/stats.mjs';
import { startVigil } from './lib/server.mjs';
import { openSse } from './lib/sse-client.mjs';

const opt = numberArgs({ agents: 100, seconds: 60, warmup: 10, commands: 200 });
const server = await startVigil({
  configYaml: JSON.stringify({ environments: [{ name: 'staging' }], http: { bodyLimitKiB: 64 } }),
});
const streams = [];
const timers = [];

/** One simulated agent: the protocol only (no processes): it answers every command at once. */
async function simulate(index) {
  const name = `sim-${index}`;
  const token = await enrolHost(server, name);
  const headers = { authorization: `Bearer ${token}`, 'x-vigil-host': name };
  const post = (path, body) => request(`${server.base}${path}`, { method: 'POST', body, headers, agent: keepAliveAgent });
  const service = { name: `svc-${index}`, command: 'node', args: ['-e', ''], instances: 0 };
  const hello = await post('/api/agent/hello', { agentVersion: 'bench', environments: [{ name: 'staging', services: [service] }] });
  if (hello.status !== 200) throw new Error(`hello ${name}: ${hello.status} ${hello.text}`);
  await new Promise((resolve, reject) => {
    streams.push(
      openSse({
        port: server.port,
        path: '/api/agent/stream',
        headers,
        onReady: resolve,
        onMessage: (data, id) => {
          if (id === undefined) return;
          const event = JSON.parse(data);
          if (event.type !== 'command.accepted') return;
          const commandId = event.data.commandId;
          void post(`/api/agent/commands/${commandId}/start`, { version: event.version }).then((claim) =>
            claim.status === 200
              ? post(`/api/agent/commands/${commandId}/events`, {
                  expectedVersion: JSON.parse(claim.text).version,
                  events: [{ type: 'command.completed', data: { commandId, durationMs: 0, exitCode: 0 } }],
                })
              : undefined,
          );
        },
        onClose: (error) => reject(error ?? new Error('agent stream closed')),
      }),
    );
  });
  let tick = 0;
  timers.push(
    setInterval(() => {
      tick += 1;
      const time = new Date().toISOString();
      void post('/api/agent/metrics', {
        samples: [{ source: 'host', time, values: { cpu_percent: 5 + (tick % 10), memory_percent: 40, 'load.1m': 0.5 } }],
        dropped: 0,
      });
      if (tick % 5 === 0) void post('/api/agent/heartbeat', {});
    }, 1000),
  );
}

try {
  for (let i = 0; i < opt.agents; i++) await simulate(i);
  log(`${opt.agents} simulated agents connected; warming up ${opt.warmup} s`);
  await new Promise((resolve) => setTimeout(resolve, opt.warmup * 1000));

  const cpuBefore = procCpu(server.pid).selfMs;
  const started = performance.now();
  let peakRss = 0;
  while (performance.now() - started < opt.seconds * 1000) {
    peakRss = Math.max(peakRss, rssBytes(server.pid));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const cpuPercent = ((procCpu(server.pid).selfMs - cpuBefore) / (performance.now() - started)) * 100;

  // Command round trips, one at a time, to agents' services in turn.
  const done = new Map();
  const completions = openSse({
    port: server.port,
    path: '/api/stream?types=command.completed',
    headers: server.headers,
    onMessage: (data, id) => {
      if (id === undefined) return;
      const commandId = JSON.parse(data).data?.commandId;
      done.get(commandId)?.();
    },
    onClose: () => undefined,
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const latencies = [];
  for (let i = 0; i < opt.commands; i++) {
    const sent = performance.now();
    const body = { type: 'logs', target: `svc-${i % opt.agents}`, environment: 'staging', params: { lines: 1 } };
    const res = await request(`${server.base}/api/commands`, { method: 'POST', body, headers: server.headers, agent: keepAliveAgent });
    if (res.status !== 202) throw new Error(`command ${i}: ${res.status} ${res.text}`);
    const { commandId } = JSON.parse(res.text);
    await new Promise((resolve) => done.set(commandId, resolve));
    latencies.push(performance.now() - sent);
  }
  completions.destroy();
  const p99 = percentile(latencies, 99);
  const rssMb = peakRss / 1024 / 1024;
  log(`server: ${round(cpuPercent, 1)} % of a core with ${opt.agents} agents, peak RSS ${round(rssMb)} MB, command p99 ${round(p99)} ms`);
  printResult('agent-fleet', [
    {
      benchmark: `server CPU, ${opt.agents} agents`,
      result: round(cpuPercent, 1),
      unit: '% of a core',
      target: '< 20 % (100 agents)',
      met: cpuPercent < 20,
    },
    { benchmark: `server RSS (peak), ${opt.agents} agents`, result: round(rssMb), unit: 'MB', target: 'reported', met: true },
    { benchmark: 'command round trip to an agent p99', result: round(p99), unit: 'ms', target: 'reported', met: true },
  ]);
} finally {
  for (const timer of timers) clearInterval(timer);
  for (const stream of streams) stream.destroy();
  await server.stop();
}

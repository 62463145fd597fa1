// Command round trip: POST /api/commands (ping) at 200/s over keep-alive, timed until
// its command.completed arrives on one SSE connection (types=command.completed).
import { numberArgs } from './lib/args.mjs';
import { keepAliveAgent, postPing } from './lib/http.mjs';
import { paced } from './lib/pacer.mjs';
import { log, printResult } from './lib/result.mjs';
import { percentile, round } from './lib/stats.mjs';
import { startVigil } from './lib/server.mjs';
import { openSse } from './lib/sse-client.mjs';

const opt = numberArgs({ rate: 200, count: 2_000, seconds: 10, warmup: 200, drainMs: 5_000, profileDir: '' });
const server = await startVigil({ nodeArgs: opt.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opt.profileDir}`] : [] });
const sentAt = new Map(); // commandId -> POST send time, once the 202 has told us the id
const completedAt = new Map(); // commandId -> receipt time, when completed beat the 202 back
const latencies = [];
let measuring = false;

try {
  await new Promise((resolve, reject) => {
    let first = true;
    openSse({
      port: server.port,
      path: '/api/stream?types=command.completed',
      headers: server.headers,
      onMessage: (data, id) => {
        if (first) {
          first = false;
          resolve();
          return;
        }
        if (id === undefined) return;
        const now = performance.now();
        let commandId;
        try {
          commandId = JSON.parse(data).data?.commandId;
        } catch {
          /* not an event frame */
        }
        if (commandId === undefined) return; // anything else on the stream (a notice, a closing reason)
        const sent = sentAt.get(commandId);
        if (sent === undefined) {
          completedAt.set(commandId, now);
          return;
        }
        sentAt.delete(commandId);
        if (measuring) latencies.push(now - sent);
      },
      onClose: (error) => reject(error ?? new Error('stream closed')),
    });
  });

  const fire = async () => {
    const sent = performance.now();
    const { commandId } = await postPing(server.base, keepAliveAgent, server.headers);
    const seen = completedAt.get(commandId);
    if (seen === undefined) sentAt.set(commandId, sent);
    else {
      completedAt.delete(commandId);
      if (measuring) latencies.push(seen - sent);
    }
  };

  await paced({ ratePerSecond: opt.rate, maxCount: opt.warmup, maxSeconds: 10, fire });
  await new Promise((r) => setTimeout(r, 500));
  measuring = true;
  const drive = await paced({ ratePerSecond: opt.rate, maxCount: opt.count, maxSeconds: opt.seconds + 5, fire });
  const deadline = Date.now() + opt.drainMs;
  while (latencies.length < drive.sent - drive.errors.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  measuring = false;

  const p50 = round(percentile(latencies, 50), 2);
  const p99 = round(percentile(latencies, 99), 2);
  const achievedRate = Math.round(drive.sent / drive.seconds);
  log(
    `roundtrip: ${latencies.length}/${drive.sent} completed, ${drive.errors.length} errors, ${achievedRate}/s, p50 ${p50} ms, p99 ${p99} ms, max ${round(Math.max(...latencies), 1)} ms`,
  );
  printResult(
    'command-roundtrip',
    [
      {
        benchmark: `command round trip: POST ping -> command.completed on SSE (${opt.rate}/s, ${drive.sent} commands)`,
        display: `p50 ${p50} / p99 ${p99} ms`,
        target: 'p99 < 20 ms',
        met: p99 < 20 && latencies.length === drive.sent,
      },
    ],
    {
      sent: drive.sent,
      completed: latencies.length,
      errors: drive.errors.slice(0, 5),
      errorCount: drive.errors.length,
      achievedRate,
      p50,
      p90: round(percentile(latencies, 90), 2),
      p99,
      maxMs: round(Math.max(...latencies), 2),
      options: opt,
    },
  );
} catch (error) {
  process.exitCode = 1;
  console.error(error);
} finally {
  keepAliveAgent.destroy();
  await server.stop();
  process.exit(); // the SSE socket is gone with the server; do not wait for its close
}

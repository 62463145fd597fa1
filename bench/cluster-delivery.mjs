// Cross-node delivery: pings POSTed to node A at 200/s; an SSE client of node B
// (types=command.accepted) receives each accepted event through the log (A commits,
// NOTIFY, B's tailer reads it, B's hub sends it). Latency = receipt on B − the
// event's `time` (set at commit on A; same machine, same clock), p50/p99.
// Usage: node bench/cluster-delivery.mjs [--rate 200] [--count 4000] [--seconds 20] [--warmup 200]
import { startCluster } from './lib/cluster.mjs';
import { numberArgs } from './lib/args.mjs';
import { keepAliveAgent, postPing } from './lib/http.mjs';
import { paced } from './lib/pacer.mjs';
import { log, printResult } from './lib/result.mjs';
import { openSse, latencyFromData } from './lib/sse-client.mjs';
import { percentile, round } from './lib/stats.mjs';

const opt = numberArgs({ rate: 200, count: 4_000, seconds: 20, warmup: 200, drainMs: 5_000 });
const cluster = await startCluster(['a', 'b']);
const [a, b] = cluster.nodes;
const latencies = [];
let measuring = false;
let received = 0;

try {
  await new Promise((resolve, reject) => {
    let first = true;
    openSse({
      port: b.port,
      path: '/api/stream?types=command.accepted',
      headers: b.headers,
      onMessage: (data, id) => {
        if (first) {
          first = false;
          resolve();
          return;
        }
        if (id === undefined || !measuring) return;
        const latency = latencyFromData(data, Date.now());
        if (latency !== undefined) {
          latencies.push(latency);
          received += 1;
        }
      },
      onClose: (error) => reject(error ?? new Error('stream closed')),
    });
  });
  const fire = () => postPing(a.base, keepAliveAgent, a.headers);
  await paced({ ratePerSecond: opt.rate, maxCount: opt.warmup, maxSeconds: 10, fire });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  measuring = true;
  const drive = await paced({ ratePerSecond: opt.rate, maxCount: opt.count, maxSeconds: opt.seconds + 5, fire });
  const expected = drive.sent - drive.errors.length;
  const deadline = Date.now() + opt.drainMs;
  while (received < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  measuring = false;

  const p50 = round(percentile(latencies, 50), 1);
  const p99 = round(percentile(latencies, 99), 1);
  log(`cross-node delivery: ${received}/${expected} received on b, p50 ${p50} ms, p99 ${p99} ms`);
  printResult(
    'cluster-delivery',
    [
      {
        benchmark: `cross-node delivery: ping POSTed to node a -> command.accepted on an SSE client of node b (${opt.rate}/s, ${drive.sent} commands; ms resolution)`,
        display: `p50 ${p50} / p99 ${p99} ms`,
        target: 'p99 < 50 ms',
        met: p99 < 50 && received === expected,
      },
    ],
    { sent: drive.sent, received, errors: drive.errors.slice(0, 5), p50, p90: round(percentile(latencies, 90), 1), p99, options: opt },
  );
} catch (error) {
  process.exitCode = 1;
  console.error(error);
} finally {
  keepAliveAgent.destroy();
  await cluster.stop();
  process.exit();
}

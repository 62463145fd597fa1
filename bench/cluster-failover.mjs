// Failover: three nodes; the leader is killed with SIGKILL.
//  - lease: kill -> another node's /api/health says it leads (it starts the leader-only
//    work, alert evaluation among it, in the same turn); polled every 20 ms.
//  - client: an SSE client of the killed node, with pings flowing through a survivor,
//    reconnects at once to a survivor with Last-Event-ID (what a load balancer and the
//    web app's retry do, without their delays): kill -> its first event from the survivor.
// `--rounds N` repeats it on the nodes left (at most 2 rounds with three nodes).
// Usage: node bench/cluster-failover.mjs [--rounds 2]
import { startCluster, nodeHealth, waitForLeader } from './lib/cluster.mjs';
import { numberArgs } from './lib/args.mjs';
import { keepAliveAgent, postPing } from './lib/http.mjs';
import { log, printResult } from './lib/result.mjs';
import { openSse } from './lib/sse-client.mjs';
import { median, round } from './lib/stats.mjs';

const opt = numberArgs({ rounds: 2 });
const cluster = await startCluster(['a', 'b', 'c']);
const leaseMs = [];
const clientMs = [];

/** Opens a stream on `node` from `lastEventId`; resolves on its first durable event after `from`. */
function firstEvent(node, lastEventId, onEvent) {
  return openSse({
    port: node.port,
    path: '/api/stream?types=command.accepted',
    headers: { ...node.headers, 'last-event-id': String(lastEventId) },
    onMessage: (_data, id) => {
      if (id !== undefined) onEvent(Number(id));
    },
    onClose: () => undefined,
  });
}

try {
  let alive = [...cluster.nodes];
  for (let r = 0; r < opt.rounds && alive.length >= 2; r++) {
    const leader = await waitForLeader(alive);
    const survivors = alive.filter((node) => node !== leader);
    let lastId = (await nodeHealth(leader)).eventLogPosition;
    const onLeader = firstEvent(leader, lastId, (id) => (lastId = Math.max(lastId, id)));
    const pinger = setInterval(() => void postPing(survivors[0].base, keepAliveAgent, survivors[0].headers).catch(() => undefined), 50);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const killedAt = performance.now();
    process.kill(leader.pid, 'SIGKILL');
    let resumed;
    const clientResumed = new Promise((resolve) => {
      onLeader.once('close', () => {
        resumed = firstEvent(survivors[0], lastId, () => resolve(performance.now() - killedAt));
      });
    });
    await waitForLeader(survivors, 30_000, 20);
    leaseMs.push(performance.now() - killedAt);
    clientMs.push(await clientResumed);
    clearInterval(pinger);
    resumed?.destroy();
    log(`round ${r + 1}: lease after ${round(leaseMs.at(-1))} ms, client resumed after ${round(clientMs.at(-1))} ms`);
    alive = survivors;
  }
  const lease = round(median(leaseMs));
  const client = round(median(clientMs));
  printResult(
    'cluster-failover',
    [
      {
        benchmark: `failover: kill -9 of the leader -> another node leads and evaluates (median of ${leaseMs.length})`,
        display: `${lease} ms`,
        target: '< 15 s',
        met: leaseMs.every((ms) => ms < 15_000),
      },
      {
        benchmark: `failover: kill -9 of a client's node -> its first event from another node, reconnecting at once (median of ${clientMs.length})`,
        display: `${client} ms`,
        target: '< 5 s',
        met: clientMs.every((ms) => ms < 5_000),
      },
    ],
    { leaseMs, clientMs, options: opt },
  );
} catch (error) {
  process.exitCode = 1;
  console.error(error);
} finally {
  keepAliveAgent.destroy();
  await cluster.stop();
  process.exit();
}

// Vigil nodes for the cluster benchmarks: one throwaway PostgreSQL server
// (lib/postgres.mjs), N real servers on it as children (lib/server.mjs), each with its
// own VIGIL_NODE_NAME; the first admin is created once, each node signs in.
import { getJson } from './http.mjs';
import { startPostgres } from './postgres.mjs';
import { startVigil } from './server.mjs';

const QUIET = 'metrics:\n  host: { intervalSeconds: 5, storageIntervalSeconds: 60 }\n';

export async function startCluster(names, { configYaml = QUIET, database = 'vigil_bench_cluster' } = {}) {
  const pg = await startPostgres();
  let nodes = [];
  try {
    const url = await pg.createDatabase(database);
    nodes = await Promise.all(
      names.map((name) =>
        startVigil({
          configYaml,
          env: { VIGIL_DATABASE_URL: url, VIGIL_NODE_NAME: name, VIGIL_SUPERVISOR: 'off' },
          startTimeoutMs: 60_000,
        }),
      ),
    );
    nodes.forEach((node, index) => (node.name = names[index]));
  } catch (error) {
    for (const node of nodes) await node.stop();
    pg.stop();
    throw error;
  }
  return {
    nodes,
    async stop() {
      for (const node of nodes) await node.stop().catch(() => undefined);
      pg.stop();
    },
  };
}

/** GET /api/health's cluster view of one node (undefined if it does not answer). */
export async function nodeHealth(node) {
  try {
    return await getJson(`${node.base}/api/health`);
  } catch {
    return undefined;
  }
}

/** Waits until some node of `nodes` reports itself leader; answers it. */
export async function waitForLeader(nodes, timeoutMs = 30_000, pollMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const node of nodes) {
      const health = await nodeHealth(node);
      if (health?.node?.leader) return node;
    }
    if (Date.now() > deadline) throw new Error('no leader');
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

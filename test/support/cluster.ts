import { eventually, getJson } from './http';
import { startServer, type RunningServer, type StartOptions } from './server';

/** What GET /api/health says about the cluster. */
export interface ClusterHealth {
  eventLogPosition: number;
  node: { name: string; leader: boolean };
  cluster: { nodes: { name: string; leader: boolean; alive: boolean; lastSeenAt: string }[] };
}

export async function clusterHealth(node: RunningServer): Promise<ClusterHealth> {
  return (await getJson<ClusterHealth>(node.baseUrl, '/api/health')).body;
}

/** Starts Vigil nodes on one PostgreSQL database, all at once, each under its own name. */
export function startNodes(database: string, names: string[], options: StartOptions = {}): Promise<RunningServer[]> {
  return Promise.all(names.map((node) => startServer({ ...options, database, node })));
}

/** Waits until every node in `nodes` sees `alive` (by name) alive and the others dead, with one live leader among them. */
export function clusterSettled(nodes: RunningServer[], alive: string[], timeoutMs = 20_000): Promise<string> {
  return eventually(
    `nodes ${alive.join(', ')} alive with one leader`,
    async () => {
      let leader: string | undefined;
      for (const node of nodes) {
        const health = await clusterHealth(node);
        const live = health.cluster.nodes.filter((n) => n.alive).map((n) => n.name);
        const leaders = health.cluster.nodes.filter((n) => n.leader && n.alive).map((n) => n.name);
        if (live.sort().join() !== [...alive].sort().join() || leaders.length !== 1) return undefined;
        if (leader !== undefined && leader !== leaders[0]) return undefined;
        leader = leaders[0];
      }
      return leader;
    },
    timeoutMs,
  );
}

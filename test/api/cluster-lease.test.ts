import pg from 'pg';
import { firstValueFrom, filter } from 'rxjs';
import { PgCluster } from '../../apps/api/src/cluster/pg-cluster';
import { startPostgres, type TestPostgres } from '../support/postgres';

/** The leader lease and node registry on a real PostgreSQL, with PgCluster instances in this process. */
describe('cluster lease on PostgreSQL', () => {
  let server: TestPostgres;
  let url: string;
  const pools: pg.Pool[] = [];
  const clusters: PgCluster[] = [];

  const start = async (nodeName: string): Promise<PgCluster> => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    const cluster = await PgCluster.start(
      {
        connection: (name) => ({ connectionString: url, application_name: name }),
        nodeName,
        heartbeatMs: 200,
        deadAfterMs: 1_500,
        queryTimeoutMs: 500,
      },
      pool,
    );
    clusters.push(cluster);
    return cluster;
  };
  const until = async (what: () => boolean, ms = 10_000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!what()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
  }, 60_000);

  afterAll(async () => {
    for (const cluster of clusters) await cluster.close();
    for (const pool of pools) await pool.end();
    await server.stop();
  });

  it('elects one leader among three nodes, lists them, and hands the lease over when the leader session dies', async () => {
    const nodes = [await start('a'), await start('b'), await start('c')];
    await until(() => nodes.filter((node) => node.isLeader()).length === 1 && nodes.every((node) => node.nodes().length === 3));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(nodes.filter((node) => node.isLeader())).toHaveLength(1);
    const leader = nodes.find((node) => node.isLeader())!;
    const others = nodes.filter((node) => node !== leader);
    await until(() => others.every((node) => node.leaderName() === leader.nodeName));
    expect(others[0].nodes().map((node) => [node.name, node.alive])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
    ]);

    // Kill the leader's lease session from the server side: it steps down, another takes over.
    const steppedDown = firstValueFrom(leader.leader$.pipe(filter((isLeader) => !isLeader)));
    await server.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
      [`vigil-lease-${leader.nodeName}`],
      new URL(url).pathname.slice(1),
    );
    await steppedDown;
    await until(() => others.some((node) => node.isLeader()));
    await until(() => nodes.filter((node) => node.isLeader()).length === 1);
    // The old leader reconnects as a follower and stays alive in the registry.
    await until(() => others[0].nodes().every((node) => node.alive));
  }, 30_000);

  it('refuses a second live node with the same name, and lets a stopped one be reused at once', async () => {
    await expect(start('a')).rejects.toThrow(/another live Vigil node is already named "a"/);
    const d = await start('d');
    await d.close();
    const again = await start('d');
    expect(again.nodeName).toBe('d');
  }, 30_000);

  it('keeps one shared secret, whichever node creates it first', async () => {
    const [x, y] = await Promise.all([clusters[0].sharedSecret('test', () => 'one'), clusters[1].sharedSecret('test', () => 'two')]);
    expect(x).toBe(y);
  });

  it('broadcasts messages to every node', async () => {
    const received = firstValueFrom(clusters[2].messages$('vigil_test'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    clusters[0].broadcast('vigil_test', 'hello');
    await expect(received).resolves.toBe('hello');
  });
});

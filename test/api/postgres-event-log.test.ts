import type { StoredEvent } from '@vigil/shared';
import pg from 'pg';
import { readDatabaseSettings, type PostgresDatabaseSettings } from '../../apps/api/src/database/database-settings';
import { ConcurrencyError } from '../../apps/api/src/event-store/event-store';
import { PostgresEventStore } from '../../apps/api/src/event-store/postgres-event-store';
import { collect, positions, started, suiteMeta as meta } from '../support/event-store-suite';
import { eventually } from '../support/http';
import { startPostgres, type TestPostgres } from '../support/postgres';

/**
 * The PostgreSQL log as a cluster uses it: several store instances (each its own
 * pool and LISTEN connection, as separate nodes have) on one database.
 */
describe('PostgreSQL event log shared by several store instances', () => {
  let server: TestPostgres;

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);

  afterAll(async () => {
    await server.stop();
  });

  function settingsFor(url: string, env: Record<string, string> = {}): PostgresDatabaseSettings {
    const settings = readDatabaseSettings({ VIGIL_DATABASE_URL: url, VIGIL_PG_POOL_SIZE: '4', ...env });
    if (settings.kind !== 'postgres') throw new Error('expected PostgreSQL settings');
    return settings;
  }

  /** Opens `count` instances on a fresh database, each recording what its events$ emits. */
  async function nodes(count: number, env: Record<string, string> = {}) {
    const url = await server.createDatabase();
    const stores: PostgresEventStore[] = [];
    const seen: number[][] = [];
    for (let i = 0; i < count; i++) {
      const store = await PostgresEventStore.open({ settings: settingsFor(url, env), pollMs: 200 });
      const mine: number[] = [];
      store.events$.subscribe((event: StoredEvent) => mine.push(event.position));
      stores.push(store);
      seen.push(mine);
    }
    const database = new URL(url).pathname.slice(1);
    const client = async (): Promise<pg.Client> => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    };
    return {
      url,
      database,
      stores,
      seen,
      client,
      close: async () => {
        for (const store of stores) await store.close();
      },
    };
  }

  /** Appends from every store at once: `callers` concurrent callers per store, `rounds` appends each. */
  async function appendFromAll(stores: PostgresEventStore[], callers: number, rounds: number, tag: string): Promise<number> {
    const counts = await Promise.all(
      stores.flatMap((store, node) =>
        Array.from({ length: callers }, async (_, caller) => {
          let written = 0;
          for (let round = 0; round < rounds; round++) {
            const size = 1 + ((node + caller + round) % 3);
            const stream = `${tag}-n${node}-c${caller}`;
            await store.append(
              stream,
              written,
              Array.from({ length: size }, () => started(`${tag}-${round}`)),
              meta,
            );
            written += size;
          }
          return written;
        }),
      ),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  it('20 rounds of concurrent appenders on three instances: dense positions, one chain, every instance publishes all in order once', async () => {
    const cluster = await nodes(3);
    try {
      let total = 0;
      for (let round = 0; round < 20; round++) total += await appendFromAll(cluster.stores, 5, 2, `r${round}`);
      const all = await collect(cluster.stores[0].read(1));
      expect(all.map((event) => event.position)).toEqual(positions(total));
      for (const store of cluster.stores)
        await expect(store.verify()).resolves.toMatchObject({ ok: true, checked: total, lastPosition: total });
      await eventually(
        'every instance to publish every event',
        () => (cluster.seen.every((s) => s.length >= total) ? true : undefined),
        10_000,
      );
      for (const seen of cluster.seen) expect(seen).toEqual(positions(total));
      for (const store of cluster.stores) expect(store.position).toBe(total);
    } finally {
      await cluster.close();
    }
  }, 120_000);

  it('lets exactly one instance win a race on a stream version (the command claim)', async () => {
    const cluster = await nodes(3);
    try {
      for (let round = 0; round < 10; round++) {
        const stream = `command-${round}`;
        await cluster.stores[0].append(stream, 0, [started(`accepted-${round}`)], meta);
        const claims = await Promise.allSettled(
          cluster.stores.map((store, node) => store.append(stream, 1, [started(`claim-${node}`)], meta)),
        );
        expect(claims.filter((claim) => claim.status === 'fulfilled')).toHaveLength(1);
        for (const claim of claims) if (claim.status === 'rejected') expect(claim.reason).toBeInstanceOf(ConcurrencyError);
        expect((await cluster.stores[1].readStream(stream)).map((event) => event.version)).toEqual([1, 2]);
      }
    } finally {
      await cluster.close();
    }
  }, 60_000);

  it('a rolled-back transaction leaves no gap: neither one that wrote a row nor an append that timed out on the lock', async () => {
    const cluster = await nodes(2, { VIGIL_PG_LOCK_TIMEOUT_MS: '300' });
    const other = await cluster.client();
    try {
      const [a, b] = cluster.stores;
      await a.append('before', 0, [started('1'), started('2')], meta);

      // Another writer takes the head, inserts position 3, moves the head… and rolls back.
      await other.query('BEGIN');
      await other.query('SELECT position FROM event_log_head WHERE id = 1 FOR UPDATE');
      await other.query(`INSERT INTO events (position, stream, version, type, environment, data, meta, time, hash)
                         VALUES (3, 'ghost', 1, 'command.started', NULL, '{}', '{}', '2026-01-01T00:00:00.000Z', 'x')`);
      await other.query('UPDATE event_log_head SET position = 3 WHERE id = 1');
      // Held longer than the lock timeout: this append's transaction fails and rolls back.
      await expect(b.append('timed-out', 0, [started('late')], meta)).rejects.toThrow(/lock timeout/);
      await other.query('ROLLBACK');

      const [next] = await a.append('after', 0, [started('3')], meta);
      expect(next.position).toBe(3);
      const [fromB] = await b.append('timed-out', 0, [started('again')], meta);
      expect(fromB.position).toBe(4);
      const all = await collect(b.read(1));
      expect(all.map((event) => [event.position, event.stream])).toEqual([
        [1, 'before'],
        [2, 'before'],
        [3, 'after'],
        [4, 'timed-out'],
      ]);
      await expect(a.verify()).resolves.toMatchObject({ ok: true, checked: 4 });
      await eventually('both to publish 1..4', () => (cluster.seen.every((s) => s.length === 4) ? true : undefined));
      for (const seen of cluster.seen) expect(seen).toEqual(positions(4));
    } finally {
      await other.end();
      await cluster.close();
    }
  }, 60_000);

  it('keeps publishing every event once, in order, while its LISTEN connection is terminated again and again', async () => {
    const cluster = await nodes(3);
    const admin = await cluster.client();
    try {
      const [watched, ...writers] = cluster.stores;
      const writers$ = { stop: false };
      let total = 0;
      const writing = (async () => {
        let round = 0;
        // Only the others write: the watched store learns of it all through its tailer.
        while (!writers$.stop) total += await appendFromAll(writers, 3, 1, `t${round++}`);
      })();
      const pids = new Set<number>();
      for (let kill = 0; kill < 5; kill++) {
        await eventually('the listener to be connected', () => watched.listenerPid, 15_000);
        const pid = watched.listenerPid!;
        pids.add(pid);
        const [terminated] = (await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid])).rows;
        expect(terminated.ok).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      writers$.stop = true;
      await writing;
      await eventually('the watched store to catch up', () => (cluster.seen[0].length >= total ? true : undefined), 15_000);
      expect(pids.size).toBe(5);
      for (const seen of cluster.seen) expect(seen).toEqual(positions(total));
      await expect(watched.verify()).resolves.toMatchObject({ ok: true, checked: total });
    } finally {
      await admin.end();
      await cluster.close();
    }
  }, 120_000);

  it('stays dense and ordered behind slow, interleaved transactions holding the head', async () => {
    const cluster = await nodes(3);
    const slow = await cluster.client();
    const reader = await cluster.client();
    try {
      // A long read-only transaction open throughout (a report, a backup): it blocks nobody.
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT count(*) FROM events');
      const lock = { holding: true };
      const holder = (async () => {
        // Takes the head lock over and over and sits on it, as a slow node would.
        while (lock.holding) {
          await slow.query('BEGIN');
          await slow.query('SELECT position FROM event_log_head WHERE id = 1 FOR UPDATE');
          await slow.query('SELECT pg_sleep(0.05)');
          await slow.query('COMMIT');
        }
      })();
      let total = 0;
      for (let round = 0; round < 5; round++) total += await appendFromAll(cluster.stores, 4, 2, `slow${round}`);
      lock.holding = false;
      await holder;
      const snapshot = await reader.query<{ n: string }>('SELECT count(*) AS n FROM events');
      expect(snapshot.rows[0].n).toBe('0'); // its snapshot predates every append
      await reader.query('COMMIT');

      await eventually(
        'every instance to publish every event',
        () => (cluster.seen.every((s) => s.length >= total) ? true : undefined),
        10_000,
      );
      for (const seen of cluster.seen) expect(seen).toEqual(positions(total));
      const times = (await collect(cluster.stores[2].read(1))).map((event) => event.time);
      expect(times).toEqual([...times].sort());
      await expect(cluster.stores[1].verify()).resolves.toMatchObject({ ok: true, checked: total });
    } finally {
      await slow.end();
      await reader.end();
      await cluster.close();
    }
  }, 120_000);

  it('names the first bad position when the head row disagrees with the rows', async () => {
    const cluster = await nodes(1);
    try {
      const [store] = cluster.stores;
      for (let i = 0; i < 5; i++) await store.append('h', 'any', [started(`${i}`)], meta);
      await server.query(`UPDATE event_log_head SET hash = $1 WHERE id = 1`, ['f'.repeat(64)], cluster.database);
      await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBadPosition: 5 });
    } finally {
      await cluster.close();
    }
  }, 60_000);
});

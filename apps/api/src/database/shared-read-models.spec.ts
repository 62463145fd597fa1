import { Logger } from '@nestjs/common';
import type { EventMeta, NewEvent, StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachEngine, type StoreEngine } from '../../../../test/support/store-engines';
import { PgAuditStore } from '../audit/pg-audit-store';
import { SqliteAuditStore } from '../audit/sqlite-audit-store';
import { buildCheckpoints } from '../dashboard/checkpoint-builder';
import { PgCheckpointStore } from '../dashboard/pg-checkpoint-store';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { PgTimeSeriesStore } from '../metrics/tsdb/pg-time-series-store';
import type { MetricWrite } from '../metrics/tsdb/time-series-store';

/**
 * Several nodes share the read models on PostgreSQL: each node is a store instance
 * with its own pool, all writing at once. The tables must end up as one node alone
 * would leave them.
 */
const COMMANDS = 120;

function meta(n: number): EventMeta {
  return {
    actor: { id: `u${n % 3}`, username: `user-${n % 3}`, roles: [] },
    ip: '10.0.0.1',
    environment: 'staging',
    correlationId: `c${n}`,
  };
}

/** Each command's lifecycle, interleaved with the others' so that batches cut through commands. */
function commandLog(): NewEvent[][] {
  return Array.from({ length: COMMANDS }, (_, n): NewEvent[] => {
    const commandId = `cmd-${n}`;
    return [
      {
        type: 'command.accepted',
        data: { commandId, type: 'ping', target: 'vigil', environment: 'staging', params: { n }, requestHash: 'h' },
      },
      { type: 'command.started', data: { commandId } },
      n % 5 === 0
        ? { type: 'command.failed', data: { commandId, durationMs: n, reason: 'boom', exitCode: 1 } }
        : { type: 'command.completed', data: { commandId, durationMs: n, exitCode: 0 } },
    ];
  });
}

async function appendInterleaved(store: SqliteEventStore): Promise<StoredEvent[]> {
  const log = commandLog();
  for (let step = 0; step < 3; step++) {
    // Step k of every command in one turn: one group commit, positions interleaved across commands.
    await Promise.all(log.map((events, n) => store.append(`command-cmd-${n}`, step, [events[step]], meta(n))));
  }
  const events: StoredEvent[] = [];
  for await (const event of store.read(1)) events.push(event);
  return events;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

async function applyAll(store: PgAuditStore, events: readonly StoredEvent[], size: number): Promise<void> {
  for (const batch of batches(events, size)) await store.apply(batch);
}

forEachEngine(
  (engine: StoreEngine) => {
    let dir: string;
    let log: SqliteEventStore;
    let events: StoredEvent[];

    beforeAll(() => {
      Logger.overrideLogger(['error']);
    });

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'vigil-shared-'));
      log = await SqliteEventStore.open({ file: join(dir, 'events.db') });
      events = await appendInterleaved(log);
    });

    afterEach(async () => {
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** What one node alone folds: the reference. */
    async function foldedAlone(): Promise<unknown[]> {
      const alone = await SqliteAuditStore.open({ file: join(dir, 'reference.db') });
      try {
        await alone.apply(events);
        return await alone.all();
      } finally {
        await alone.close();
      }
    }

    it('two nodes folding the log into the audit rows at once leave the rows one node would, each with its own checkpoint', async () => {
      const [a, b] = await Promise.all(
        ['a', 'b'].map((node) => PgAuditStore.open({ pool: engine.pool(), settings: engine.settings(), node })),
      );
      // Different batch sizes: the two transactions overlap on the same commands at different points of their lives.
      await Promise.all([applyAll(a, events, 7), applyAll(b, events, 13)]);
      const expected = await foldedAlone();
      expect(await a.all()).toEqual(expected);
      expect(await b.all()).toEqual(expected);
      const head = events[events.length - 1];
      expect(await engine.rows('SELECT projection, position, hash FROM projection_checkpoints ORDER BY projection')).toEqual([
        { projection: 'audit@a', position: String(head.position), hash: head.hash },
        { projection: 'audit@b', position: String(head.position), hash: head.hash },
      ]);
    });

    it('a node that is behind never undoes what a node ahead wrote, and resumes from its own checkpoint', async () => {
      const ahead = await PgAuditStore.open({ pool: engine.pool(), settings: engine.settings(), node: 'ahead' });
      await ahead.apply(events);
      const expected = await foldedAlone();
      const behind = await PgAuditStore.open({ pool: engine.pool(), settings: engine.settings(), node: 'behind' });
      await applyAll(behind, events.slice(0, Math.floor(events.length / 2)), 11);
      // Halfway through, the behind node has rewritten nothing the other had folded further.
      expect(await behind.all()).toEqual(expected);
      // A restart of the behind node continues from its own checkpoint, not the other's.
      const reopened = await PgAuditStore.open({ pool: engine.pool(), settings: engine.settings(), node: 'behind' });
      expect(reopened.position).toBe(behind.position);
      await reopened.apply(events);
      expect(await reopened.all()).toEqual(expected);
      expect(reopened.position).toBe(events[events.length - 1].position);
    });

    it('two nodes building dashboard checkpoints at once write each checkpoint once, as one node would', async () => {
      const [a, b] = await Promise.all([0, 1].map(() => PgCheckpointStore.open({ pool: engine.pool(), settings: engine.settings() })));
      await Promise.all([buildCheckpoints(log, a, { every: 25 }), buildCheckpoints(log, b, { every: 25 })]);
      expect(await a.positions()).toEqual(Array.from({ length: Math.floor(events.length / 25) }, (_, i) => (i + 1) * 25));
      for (const position of await a.positions()) {
        expect((await b.atOrBefore(position))?.hash).toBe(events[position - 1].hash);
      }
    });

    it('two nodes flushing samples into the same series at once keep exact rollups and one row per series', async () => {
      const [a, b] = await Promise.all(
        [0, 1].map(() => PgTimeSeriesStore.open({ pool: engine.pool({ max: 2 }), settings: engine.settings() })),
      );
      const base = Date.UTC(2026, 5, 1, 12, 0, 0);
      const shared = { source: 'shared', metric: 'value' };
      const writes = (node: number): MetricWrite[][] =>
        Array.from({ length: 20 }, (_, flush) =>
          Array.from({ length: 50 }, (_, i): MetricWrite[] => {
            const k = flush * 50 + i;
            return [
              { key: shared, unit: '1', t: base + k * 700 + node, v: node === 0 ? k : -k },
              { key: { source: `host@node-${node}`, metric: 'cpu_percent' }, unit: '%', t: base + k * 700, v: k % 100 },
            ];
          }).flat(),
        );
      const run = async (store: PgTimeSeriesStore, node: number): Promise<void> => {
        for (const batch of writes(node)) {
          store.write(batch);
          await store.flush();
        }
      };
      await Promise.all([run(a, 0), run(b, 1)]);

      const series = await engine.rows<{ source: string; n: string }>(
        'SELECT source, COUNT(*) AS n FROM ts_series GROUP BY source ORDER BY source',
      );
      expect(series).toEqual([
        { source: 'host@node-0', n: '1' },
        { source: 'host@node-1', n: '1' },
        { source: 'shared', n: '1' },
      ]);
      // 1,000 samples from each node in the shared series: sums cancel, counts add up, extremes from both.
      const [total] = await engine.rows<{ sum: number; count: string; min: number; max: number }>(
        "SELECT SUM(sum) AS sum, SUM(count) AS count, MIN(min) AS min, MAX(max) AS max FROM ts_1h r JOIN ts_series s ON s.id = r.series_id WHERE s.source = 'shared'",
      );
      expect(total).toEqual({ sum: 0, count: '2000', min: -999, max: 999 });
      const history = await a.query({ key: shared, from: base, to: base + 20 * 60_000, maxPoints: 20, now: base + 20 * 60_000 });
      expect(await b.query({ key: shared, from: base, to: base + 20 * 60_000, maxPoints: 20, now: base + 20 * 60_000 })).toEqual(history);
      const raw = await a.query({ key: shared, from: base, to: base + 60 * 60_000, maxPoints: 1, now: base + 60 * 60_000 });
      expect(raw.points).toHaveLength(1);
      expect(raw.points[0][2]).toBe(-999);
      expect(raw.points[0][3]).toBe(999);
    });
  },
  ['postgres'],
);

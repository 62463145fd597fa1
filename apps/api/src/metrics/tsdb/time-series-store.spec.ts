import type Database from 'better-sqlite3';
import { forEachEngine } from '../../../../../test/support/store-engines';
import { openTimeSeriesStore } from '../../../../../test/support/time-series-engines';
import { SqliteTimeSeriesStore } from './sqlite-time-series-store';
import type { MetricWrite, TimeSeriesStore } from './time-series-store';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const KEY = { source: 'host', metric: 'cpu' };

interface Agg {
  sum: number;
  min: number;
  max: number;
  count: number;
}

/** Direct aggregation of samples into [start, start + width) windows. */
function aggregate(samples: { t: number; v: number }[], width: number, start = 0): Map<number, Agg> {
  const out = new Map<number, Agg>();
  for (const { t, v } of samples) {
    const b = start + Math.floor((t - start) / width) * width;
    const a = out.get(b);
    if (a === undefined) out.set(b, { sum: v, min: v, max: v, count: 1 });
    else {
      a.sum += v;
      a.min = Math.min(a.min, v);
      a.max = Math.max(a.max, v);
      a.count += 1;
    }
  }
  return out;
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

/** Deterministic pseudo-random numbers. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

forEachEngine((engine) => {
  let store: TimeSeriesStore;

  beforeEach(async () => {
    store = await openTimeSeriesStore(engine);
  });

  afterEach(async () => {
    await store.close();
  });

  /** A second connection on the same data (WAL lets it read beside the store). */
  async function rows(table: string): Promise<{ t: number; sum: number; min: number; max: number; count: number }[]> {
    const found = await engine.rows<Record<string, unknown>>(
      `SELECT t, sum, min, max, count FROM ${table} ORDER BY t, series_id`,
      [],
      'metrics.db',
    );
    return found.map((row) => ({
      t: Number(row.t),
      sum: Number(row.sum),
      min: Number(row.min),
      max: Number(row.max),
      count: Number(row.count),
    }));
  }

  if (engine.name === 'sqlite') {
    it('opens its file in WAL mode with synchronous=NORMAL', async () => {
      expect((await engine.rows<{ journal_mode: string }>('PRAGMA journal_mode', [], 'metrics.db'))[0].journal_mode).toBe('wal');
      // synchronous is per connection: check the store's own.
      const own = (store as unknown as { db: Database.Database }).db;
      expect(own.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    });
  }

  it('buffers writes until flush, drops non-finite values, records unit and kind on first write', async () => {
    const t = Date.UTC(2026, 0, 1);
    store.write([
      { key: KEY, unit: '%', kind: 'gauge', t, v: 1 },
      { key: KEY, unit: 'ignored', kind: 'rate', t: t + 1000, v: Number.NaN },
      { key: { environment: 'staging', source: 'web', metric: 'rps' }, unit: '1/s', kind: 'rate', t, v: Number.POSITIVE_INFINITY },
      { key: { environment: 'staging', source: 'web', metric: 'rps' }, unit: '1/s', kind: 'rate', t, v: 5 },
    ]);
    expect(store.pendingCount).toBe(2);
    expect(await rows('ts_1m')).toEqual([]);
    await store.flush();
    expect(store.pendingCount).toBe(0);
    store.write([{ key: KEY, unit: 'other', kind: 'rate', t: t + 2000, v: 3 }]);
    await store.flush();
    expect(await store.catalog()).toEqual([
      { key: KEY, unit: '%', kind: 'gauge' },
      { key: { environment: 'staging', source: 'web', metric: 'rps' }, unit: '1/s', kind: 'rate' },
    ]);
    expect((await rows('ts_1m')).map((r) => r.count)).toEqual([2, 1]);
  });

  it('keeps rollup math exact across minute and hour boundaries, out of order, over several flushes', async () => {
    const random = lcg(7);
    const base = Date.UTC(2026, 0, 1, 23, 57, 30); // crosses 00:00 (hour and day) and many minutes
    const samples: { t: number; v: number }[] = [];
    for (let i = 0; i < 900; i++) samples.push({ t: base + Math.floor(random() * 8 * MINUTE), v: (random() - 0.3) * 1000 });
    // Repeats of existing times count as samples too.
    for (let i = 0; i < 50; i++) samples.push({ t: samples[i].t, v: random() });
    // Shuffle, then write in uneven batches, each flushed.
    for (let i = samples.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [samples[i], samples[j]] = [samples[j], samples[i]];
    }
    for (let at = 0; at < samples.length;) {
      const size = 1 + Math.floor(random() * 200);
      store.write(samples.slice(at, at + size).map((s): MetricWrite => ({ key: KEY, t: s.t, v: s.v })));
      await store.flush();
      at += size;
    }

    for (const [table, width] of [
      ['ts_1m', MINUTE],
      ['ts_1h', HOUR],
    ] as const) {
      const expected = aggregate(samples, width);
      const stored = await rows(table);
      expect(stored.map((r) => r.t)).toEqual([...expected.keys()].sort((a, b) => a - b));
      for (const row of stored) {
        const e = expected.get(row.t)!;
        expect([row.min, row.max, row.count]).toEqual([e.min, e.max, e.count]);
        expectClose(row.sum, e.sum);
      }
    }

    // The same through query(): per-minute points (1m tier) and per-hour points (1h tier).
    const now = base + DAY;
    const perMinute = await store.query({ key: KEY, from: base - 90_000, to: base + 10 * MINUTE, maxPoints: 10, now });
    expect(perMinute).toMatchObject({ tier: '1m', stepMs: 2 * MINUTE });
    const expectedPerTwo = aggregate(samples, 2 * MINUTE);
    expect(perMinute.points.length).toBe(expectedPerTwo.size);
    for (const [t, avg, min, max] of perMinute.points) {
      const e = expectedPerTwo.get(t)!;
      expectClose(avg, e.sum / e.count);
      expect([min, max]).toEqual([e.min, e.max]);
    }
    const perHour = await store.query({ key: KEY, from: Date.UTC(2026, 0, 1, 22), to: Date.UTC(2026, 0, 2, 2), maxPoints: 4, now });
    expect(perHour.tier).toBe('1h');
    const expectedHours = aggregate(samples, HOUR);
    expect(perHour.points.map((p) => p[0])).toEqual([...expectedHours.keys()].sort((a, b) => a - b));
    for (const [t, avg, min, max] of perHour.points) {
      const e = expectedHours.get(t)!;
      expectClose(avg, e.sum / e.count);
      expect([min, max]).toEqual([e.min, e.max]);
    }
  });

  it('answers raw-tier queries from the packed chunks (values as float32)', async () => {
    const base = Date.UTC(2026, 0, 1, 10, 0, 0);
    const samples = Array.from({ length: 1800 }, (_, i) => ({ t: base + i * 1000 + (i % 7), v: Math.sin(i / 10) * 100 }));
    store.write(samples.reverse().map((s) => ({ key: KEY, ...s })));
    await store.flush();
    const result = await store.query({ key: KEY, from: base, to: base + 30 * MINUTE, maxPoints: 100, now: base + HOUR });
    expect(result).toMatchObject({ tier: 'raw', stepMs: 18_000 });
    const expected = aggregate(
      samples.map((s) => ({ t: s.t, v: Math.fround(s.v) })),
      18_000,
    );
    expect(result.points.length).toBe(100);
    for (const [t, avg, min, max] of result.points) {
      const e = expected.get(t)!;
      expectClose(avg, e.sum / e.count);
      expect([min, max]).toEqual([e.min, e.max]);
    }
    expect(
      (await store.query({ key: { source: 'nope', metric: 'x' }, from: base, to: base + HOUR, maxPoints: 10, now: base })).points,
    ).toEqual([]);
  });

  it('retention deletes exactly what is older than the bound', async () => {
    await store.close();
    store = await openTimeSeriesStore(engine, { rawHours: 2, minuteDays: 1, hourDays: 2 });
    const now = Date.UTC(2026, 2, 10, 12, 0, 30); // not minute-aligned: a straddling row must be kept
    const start = now - 3 * DAY;
    const writes: MetricWrite[] = [];
    for (let t = start; t <= now; t += 20_000) {
      writes.push({ key: KEY, t, v: 1 }, { key: { environment: 'e', source: 's', metric: 'm' }, t, v: 2 });
    }
    store.write(writes);
    await store.flush();
    const before = { raw: await rows2('ts_raw'), minute: (await rows('ts_1m')).length, hour: (await rows('ts_1h')).length };

    const bounds = { raw: now - 2 * HOUR, minute: now - DAY, hour: now - 2 * DAY };
    // Rows (per series) whose whole window [t, t + width) is older than the bound.
    const older = async (table: string, width: number, bound: number): Promise<number> =>
      (await rows(table)).filter((r) => r.t + width <= bound).length;
    const expected = {
      raw: 2 * Math.floor((bounds.raw - Math.floor(start / MINUTE) * MINUTE) / MINUTE),
      minute: await older('ts_1m', MINUTE, bounds.minute),
      hour: await older('ts_1h', HOUR, bounds.hour),
    };
    expect(expected.minute).toBe(2 * Math.floor((bounds.minute - start) / MINUTE));

    expect(await store.prune(now)).toEqual(expected);
    expect(await rows2('ts_raw')).toBe(before.raw - expected.raw);
    expect((await rows('ts_1m')).length).toBe(before.minute - expected.minute);
    expect((await rows('ts_1h')).length).toBe(before.hour - expected.hour);
    // What is left starts with the row straddling each bound.
    expect((await rows('ts_1m'))[0].t).toBe(Math.floor(bounds.minute / MINUTE) * MINUTE);
    expect((await rows('ts_1h'))[0].t).toBe(Math.floor(bounds.hour / HOUR) * HOUR);
    expect(await store.prune(now)).toEqual({ raw: 0, minute: 0, hour: 0 });
    // A minute later exactly one more minute row per series goes.
    expect((await store.prune(now + MINUTE)).minute).toBe(2);

    async function rows2(table: string): Promise<number> {
      return Number((await engine.rows<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`, [], 'metrics.db'))[0].n);
    }
  });

  it('history: 7 days of 1-second samples, the 7-day query matches a direct computation', async () => {
    const end = Date.UTC(2026, 4, 20, 0, 0, 0);
    const start = end - 7 * DAY;
    const count = (end - start) / 1000; // 604,800 samples
    const value = (i: number): number => 50 + 40 * Math.sin(i / 5000) + ((i * 7919) % 101) / 7;
    const batchSize = 10_000;
    for (let at = 0; at < count; at += batchSize) {
      const batch: MetricWrite[] = [];
      for (let i = at; i < Math.min(count, at + batchSize); i++) batch.push({ key: KEY, unit: '%', t: start + i * 1000, v: value(i) });
      store.write(batch);
      await store.flush();
    }

    const check = async (from: number, to: number, tier: string): Promise<void> => {
      const result = await store.query({ key: KEY, from, to, maxPoints: 600, now: end });
      expect(result.tier).toBe(tier);
      expect(result.points.length).toBeLessThanOrEqual(600);
      expect(Math.ceil((to - from) / result.stepMs)).toBeLessThanOrEqual(600);
      const step = result.stepMs;
      // Direct computation over the same bucket windows, from the synthetic formula.
      const expected = new Map<number, Agg>();
      const first = Math.ceil(from / step) * step;
      for (let b = first; b < to; b += step) {
        const agg: Agg = { sum: 0, min: Infinity, max: -Infinity, count: 0 };
        for (let t = Math.max(b, start); t < Math.min(b + step, end); t += 1000) {
          const v = tier === 'raw' ? Math.fround(value((t - start) / 1000)) : value((t - start) / 1000);
          agg.sum += v;
          agg.min = Math.min(agg.min, v);
          agg.max = Math.max(agg.max, v);
          agg.count += 1;
        }
        if (agg.count > 0) expected.set(b, agg);
      }
      expect(result.points.map((p) => p[0])).toEqual([...expected.keys()]);
      for (const [t, avg, min, max] of result.points) {
        const e = expected.get(t)!;
        expectClose(avg, e.sum / e.count);
        expectClose(min, e.min);
        expectClose(max, e.max);
      }
    };
    await check(start, end, '1m');
    await check(end - DAY - 12_345, end - 1000, '1m');
    await check(end - HOUR - 500, end, 'raw');
  });

  it('close() flushes what is buffered; diskBytes() counts the file and its WAL', async () => {
    const t = Date.UTC(2026, 0, 1);
    store.write([{ key: KEY, t, v: 42 }]);
    if (store instanceof SqliteTimeSeriesStore) expect(store.diskBytes()).toBeGreaterThan(0);
    await store.close();
    store = await openTimeSeriesStore(engine);
    expect((await store.query({ key: KEY, from: t, to: t + MINUTE, maxPoints: 10, now: t })).points).toEqual([[t, 42, 42, 42]]);
  });
});

import type { HistoryTier, MetricSample } from '@vigil/shared';
import { CHUNK_MS, chunkStart, forEachSample } from './chunk-codec';
import { seriesKeyOf, type SeriesKey } from './series-key';
import { retentionMs, type Retention } from './tier-selection';

/** Width of one read: ~10 raw chunks, 360 minute rows or 240 hour rows per series. */
const SLICE_MS: Readonly<Record<HistoryTier, number>> = { raw: 10 * CHUNK_MS, '1m': 6 * 3_600_000, '1h': 10 * 24 * 3_600_000 };

/**
 * The three reads a SampleReader needs, per engine (SQLite: sqlite-sample-rows.ts,
 * PostgreSQL: pg-sample-rows.ts). Times are epoch ms.
 */
export interface SampleRows {
  /** Every series: [id, environment ('' = host-wide), source, metric]. */
  series(): Promise<[number, string, string, string][]>;
  /** Raw chunks [seriesId, start, data] with from <= start <= to. */
  raw(from: number, to: number): Promise<[number, number, Uint8Array][]>;
  /** Rollup averages [seriesId, t, sum / count] with from < t <= to. */
  rollups(tier: '1m' | '1h', from: number, to: number): Promise<[number, number, number][]>;
}

type Visit = (seriesId: number, t: number, v: number) => void;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The first multiple of `step` after `t`: where a finer tier's whole buckets begin. */
function nextBoundary(t: number, step: number): number {
  return Math.floor(t / step) * step + step;
}

/**
 * Turns the stored series back into MetricSamples {source, environment, time, values}
 * for replay. A sample's values were written as one series each, all at the sample's
 * time, so values of one source at the same millisecond are one sample again.
 *
 * What the store can honestly give back: raw values are float32 (about 7 significant
 * digits); a sample's `error` and its non-finite values were never stored. Where raw
 * chunks have passed retention, the minute (then hour) rollups stand in: one sample
 * per source and bucket, at the bucket's start, each value the bucket's average.
 */
export class SampleReader {
  private readonly series = new Map<number, SeriesKey>();

  constructor(
    private readonly rows: SampleRows,
    private readonly retention: Retention,
  ) {}

  /** The finest tier still holding time `t` (raw where kept, else rollups). */
  tierAt(t: number, now: number): HistoryTier {
    if (t > now - retentionMs('raw', this.retention)) return 'raw';
    return t > now - retentionMs('1m', this.retention) ? '1m' : '1h';
  }

  /**
   * Samples with from < time <= to, in time order, one slice of the window at a
   * time so a long window is never held whole. Each moment comes from one tier:
   * a finer tier takes over at the first bucket boundary after its retention seam,
   * so the coarse bucket holding the seam is replayed whole and never again in
   * finer samples.
   */
  async *slices(from: number, to: number, now: number = Date.now()): AsyncGenerator<MetricSample[]> {
    const rawFrom = nextBoundary(now - retentionMs('raw', this.retention), MINUTE_MS);
    const minutesFrom = nextBoundary(now - retentionMs('1m', this.retention), HOUR_MS);
    let cursor = from;
    while (cursor < to) {
      const t = cursor + 1;
      const tier: HistoryTier = t >= rawFrom ? 'raw' : t >= minutesFrom ? '1m' : '1h';
      let end = Math.min(to, cursor + SLICE_MS[tier]);
      // A coarse slice stops where a finer tier takes over.
      if (tier !== 'raw') end = Math.min(end, rawFrom - 1);
      if (tier === '1h') end = Math.min(end, minutesFrom - 1);
      end = Math.max(end, cursor + 1);
      const samples = await this.read(tier, cursor, end);
      cursor = end;
      if (samples.length > 0) yield samples;
    }
  }

  /** The latest sample of every source in (at − lookbackMs, at]. */
  async latestAtOrBefore(at: number, lookbackMs: number, now: number = Date.now()): Promise<MetricSample[]> {
    const tier = this.tierAt(at, now);
    const newest = new Map<string, number>();
    await this.forEachValue(tier, at - lookbackMs, at, (id, t) => {
      const key = this.sourceKey(id);
      if (key !== undefined && t > (newest.get(key) ?? -Infinity)) newest.set(key, t);
    });
    let oldest = at;
    for (const t of newest.values()) oldest = Math.min(oldest, t);
    // Second pass over only what can hold a newest value.
    return this.group(tier, oldest - 1, at, (key, t) => newest.get(key) === t);
  }

  private read(tier: HistoryTier, from: number, to: number): Promise<MetricSample[]> {
    return this.group(tier, from, to, () => true);
  }

  /** Values in (from, to] gathered into samples by (environment, source, time), time-sorted. */
  private async group(
    tier: HistoryTier,
    from: number,
    to: number,
    keep: (sourceKey: string, t: number) => boolean,
  ): Promise<MetricSample[]> {
    const samples = new Map<string, MetricSample>();
    await this.forEachValue(tier, from, to, (id, t, v) => {
      const key = this.series.get(id);
      const sourceKey = this.sourceKey(id);
      if (key === undefined || sourceKey === undefined || !keep(sourceKey, t)) return;
      const sampleKey = `${sourceKey}\u0000${t}`;
      let sample = samples.get(sampleKey);
      if (!sample) {
        sample =
          key.environment === undefined
            ? { source: key.source, time: new Date(t).toISOString(), values: {} }
            : { environment: key.environment, source: key.source, time: new Date(t).toISOString(), values: {} };
        samples.set(sampleKey, sample);
      }
      sample.values[key.metric] = v;
    });
    return [...samples.values()].sort((a, b) =>
      a.time < b.time ? -1 : a.time > b.time ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : 0,
    );
  }

  private async forEachValue(tier: HistoryTier, from: number, to: number, visit: Visit): Promise<void> {
    if (tier === 'raw') {
      const rows = await this.rows.raw(chunkStart(from + 1), to);
      for (const [id, start, data] of rows) {
        await this.ensureSeries(id);
        forEachSample(data, start, (t, v) => {
          if (t > from && t <= to) visit(id, t, v);
        });
      }
      return;
    }
    const rows = await this.rows.rollups(tier, from, to);
    for (const [id, t, v] of rows) {
      await this.ensureSeries(id);
      visit(id, t, v);
    }
  }

  private sourceKey(id: number): string | undefined {
    const key = this.series.get(id);
    return key && `${key.environment ?? ''}\u0000${key.source}`;
  }

  /** Series are only ever added: reload the catalog when an unknown id shows up. */
  private async ensureSeries(id: number): Promise<void> {
    if (this.series.has(id)) return;
    for (const [seriesId, environment, source, metric] of await this.rows.series()) {
      this.series.set(seriesId, seriesKeyOf(environment, source, metric));
    }
  }
}

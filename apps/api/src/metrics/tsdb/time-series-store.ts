import { Logger } from '@nestjs/common';
import type { HistoryPoint, HistoryTier, MetricKind } from '@vigil/shared';
import { CHUNK_MS, chunkStart, encodeChunk, forEachSample } from './chunk-codec';
import { coarsen, rollUp, type Rollup } from './rollup';
import type { SampleReader } from './sample-reader';
import { seriesKeyString, type SeriesInfo, type SeriesKey } from './series-key';
import { TIER_RESOLUTION_MS, planQuery, retentionMs, type QueryPlan, type Retention } from './tier-selection';

export type { Retention } from './tier-selection';
export type { SeriesInfo, SeriesKey } from './series-key';

export interface MetricWrite {
  key: SeriesKey;
  /** Recorded with the series on its first write ('' if absent). */
  unit?: string;
  /** Recorded with the series on its first write ('gauge' if absent). */
  kind?: MetricKind;
  /** Epoch ms. */
  t: number;
  v: number;
}

export interface HistoryQuery {
  key: SeriesKey;
  from: number;
  to: number;
  maxPoints: number;
  /** Clock for the retention part of the tier rule (default Date.now()). */
  now?: number;
}

export interface HistoryResult {
  tier: HistoryTier;
  stepMs: number;
  points: HistoryPoint[];
}

export interface PruneResult {
  raw: number;
  minute: number;
  hour: number;
}

/** Rows older than these bounds (inclusive) are deleted by prune(). */
export interface PruneBounds {
  raw: number;
  minute: number;
  hour: number;
}

/** One series' share of a flush, ready to write: raw chunks and exact rollups. */
export interface SeriesBatch {
  key: SeriesKey;
  keyString: string;
  unit: string;
  kind: MetricKind;
  /** [chunk start, packed records] */
  chunks: [number, Buffer][];
  minutes: [number, Rollup][];
  hours: [number, Rollup][];
}

/** A rollup tier's rows bucketed by the engine: bucket index, Σsum, min, max, Σcount. */
export type BucketRow = [number, number, number, number, number];

interface PendingSeries {
  key: SeriesKey;
  unit: string;
  kind: MetricKind;
  ts: number[];
  vs: number[];
}

const HOUR_MS = TIER_RESOLUTION_MS['1h'];
const MINUTE_MS = TIER_RESOLUTION_MS['1m'];

function prepare(keyString: string, series: PendingSeries): SeriesBatch {
  const chunks = new Map<number, { ts: number[]; vs: number[] }>();
  for (let i = 0; i < series.ts.length; i++) {
    const start = chunkStart(series.ts[i]);
    let chunk = chunks.get(start);
    if (chunk === undefined) chunks.set(start, (chunk = { ts: [], vs: [] }));
    chunk.ts.push(series.ts[i]);
    chunk.vs.push(series.vs[i]);
  }
  const minutes = new Map<number, Rollup>();
  const packed: [number, Buffer][] = [];
  for (const [start, chunk] of chunks) {
    packed.push([start, encodeChunk(start, chunk.ts, chunk.vs)]);
    rollUp(chunk.ts, chunk.vs, MINUTE_MS, minutes);
  }
  return {
    key: series.key,
    keyString,
    unit: series.unit,
    kind: series.kind,
    chunks: packed,
    minutes: [...minutes],
    hours: [...coarsen(minutes, HOUR_MS)],
  };
}

/**
 * Tiered metrics history: raw samples packed in per-minute chunks and exact
 * 1-minute / 1-hour rollups (sum/min/max/count add up, so out-of-order and split
 * batches, and batches of several nodes, still aggregate exactly). write() only
 * buffers; flush() writes the buffer in one transaction. The owner calls flush()
 * every second and prune() now and then (on a cluster: the leader only).
 *
 * This abstract class is the Nest token; SqliteTimeSeriesStore (metrics.db) and
 * PgTimeSeriesStore (VIGIL_DATABASE_URL) store the same rows.
 */
export abstract class TimeSeriesStore {
  protected readonly logger = new Logger('TimeSeriesStore');
  private pending = new Map<string, PendingSeries>();
  private pendingSamples = 0;
  private closed = false;
  /** Flushes still being written (an async engine can have two: close() waits for them). */
  private readonly writing = new Set<Promise<void>>();

  protected constructor(readonly retention: Retention) {}

  /** Samples buffered and not yet flushed. */
  get pendingCount(): number {
    return this.pendingSamples;
  }

  /** Buffers samples (no I/O). Non-finite values are dropped; so is anything written after close(). */
  write(samples: readonly MetricWrite[]): void {
    if (this.closed) return;
    for (const sample of samples) {
      if (!Number.isFinite(sample.v) || !Number.isFinite(sample.t)) continue;
      const keyString = seriesKeyString(sample.key);
      let series = this.pending.get(keyString);
      if (series === undefined) {
        series = { key: sample.key, unit: sample.unit ?? '', kind: sample.kind ?? 'gauge', ts: [], vs: [] };
        this.pending.set(keyString, series);
      }
      series.ts.push(Math.floor(sample.t));
      series.vs.push(sample.v);
      this.pendingSamples += 1;
    }
  }

  /** Writes everything buffered in one transaction. On failure the batch is dropped and the error rethrown. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.pendingSamples = 0;
    const prepared = [...batch].map(([keyString, series]) => prepare(keyString, series));
    const write = this.writeBatch(prepared);
    this.writing.add(write);
    try {
      await write;
    } catch (error) {
      this.afterFailedWrite();
      this.logger.error(`flush of ${batch.size} series failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      this.writing.delete(write);
    }
  }

  /**
   * At most maxPoints [bucketStart, avg, min, max] points (empty buckets omitted),
   * from the tier chosen by planQuery(); the range is widened to whole buckets.
   */
  async query(q: HistoryQuery): Promise<HistoryResult> {
    const plan = planQuery({ from: q.from, to: q.to, maxPoints: q.maxPoints, now: q.now ?? Date.now() }, this.retention);
    const result: HistoryResult = { tier: plan.tier, stepMs: plan.stepMs, points: [] };
    const id = await this.findSeries(q.key);
    if (id === undefined || q.to <= q.from) return result;
    if (plan.tier !== 'raw') {
      const rows = await this.bucketRollups(plan.tier, id, plan);
      for (const [b, sum, min, max, count] of rows) result.points.push([plan.start + b * plan.stepMs, sum / count, min, max]);
      return result;
    }
    const { start, end, stepMs, buckets } = plan;
    const sums = new Float64Array(buckets);
    const mins = new Float64Array(buckets).fill(Infinity);
    const maxs = new Float64Array(buckets).fill(-Infinity);
    const counts = new Uint32Array(buckets);
    const visit = (t: number, v: number): void => {
      if (t < start || t >= end) return;
      const b = Math.floor((t - start) / stepMs);
      sums[b] += v;
      if (v < mins[b]) mins[b] = v;
      if (v > maxs[b]) maxs[b] = v;
      counts[b] += 1;
    };
    for (const [t, data] of await this.rawChunks(id, chunkStart(start), end)) forEachSample(data, t, visit);
    for (let b = 0; b < buckets; b++) {
      if (counts[b] > 0) result.points.push([start + b * stepMs, sums[b] / counts[b], mins[b], maxs[b]]);
    }
    return result;
  }

  /**
   * Deletes rows entirely older than each tier's bound (now − retention): a raw chunk
   * or rollup row [t, t + width) goes once t + width <= bound. Rows straddling the
   * bound are kept whole (not trimmed). Returns the rows deleted per tier. On a
   * cluster only the leader calls it (the tables are shared).
   */
  prune(now: number = Date.now()): Promise<PruneResult> {
    return this.deleteBefore({
      raw: now - retentionMs('raw', this.retention) - CHUNK_MS,
      minute: now - retentionMs('1m', this.retention) - MINUTE_MS,
      hour: now - retentionMs('1h', this.retention) - HOUR_MS,
    });
  }

  /** Every series ever written, in registration order. */
  abstract catalog(): Promise<SeriesInfo[]>;

  /** A reader of the stored samples (replay). */
  abstract sampleReader(): SampleReader;

  /** Flushes, then closes (even if that last flush fails, which is then rethrown). */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      // A flush started by the interval just before close() must land before the pool goes.
      await Promise.allSettled([...this.writing]);
      await this.release();
    }
  }

  /** Writes one flush in one transaction. */
  protected abstract writeBatch(batch: readonly SeriesBatch[]): Promise<void>;
  /** After a failed writeBatch (e.g. forget cached series ids of a rolled-back transaction). */
  protected abstract afterFailedWrite(): void;
  protected abstract findSeries(key: SeriesKey): Promise<number | undefined>;
  /** Rows of a rollup tier with plan.start <= t < plan.end, bucketed by plan.stepMs. */
  protected abstract bucketRollups(tier: '1m' | '1h', id: number, plan: QueryPlan): Promise<BucketRow[]>;
  /** Raw chunks [start, data] of one series with from <= start < end. */
  protected abstract rawChunks(id: number, from: number, end: number): Promise<[number, Uint8Array][]>;
  protected abstract deleteBefore(bounds: PruneBounds): Promise<PruneResult>;
  /** Closes the connection (SQLite) or stops using the pool (PostgreSQL). */
  protected abstract release(): Promise<void>;
}

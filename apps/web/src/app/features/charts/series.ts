import type { HistoryPoint, HistoryResponse, MetricSample } from '@vigil/shared';
import { requestsPerSecond, sumNetwork } from '../../core/metric-values';

/** A chart point: x in epoch ms (linear axis, no date adapter), y the value. */
export interface Point {
  x: number;
  y: number;
}

/** The live window: the last 5 minutes. */
export const LIVE_WINDOW_MS = 5 * 60_000;

/** A range the history API serves (`duration=`). */
export type HistoryRange = '1h' | '24h' | '7d';
/** What the charts show: the live window, or a history range. */
export type ChartRange = 'live' | HistoryRange;
export const RANGE_MS: Record<ChartRange, number> = { live: LIVE_WINDOW_MS, '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 };

/** A line with its min/max band (history: avg, min and max of each bucket). */
export interface BandSeries {
  avg: Point[];
  min: Point[];
  max: Point[];
}

/** The host figures the charts plot, from one host sample. */
export interface HostFigures {
  time: number;
  cpu?: number;
  memory?: number;
  rx?: number;
  tx?: number;
}

export function hostFigures(sample: MetricSample): HostFigures | null {
  const time = Date.parse(sample.time);
  if (!Number.isFinite(time)) return null;
  const v = sample.values;
  const finite = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n : undefined);
  return {
    time,
    cpu: finite(v['cpu_percent']),
    memory: finite(v['memory_percent']),
    rx: sumNetwork(v, 'rx_bytes_per_s'),
    tx: sumNetwork(v, 'tx_bytes_per_s'),
  };
}

/** Requests/s per service source (`<env>/<service>`) from the latest samples; sources without request values are left out. */
export function serviceRequests(metrics: Record<string, MetricSample>): { key: string; time: number; value: number }[] {
  const out: { key: string; time: number; value: number }[] = [];
  for (const [key, sample] of Object.entries(metrics)) {
    if (!sample.environment) continue;
    const value = requestsPerSecond(sample.values);
    const time = Date.parse(sample.time);
    if (value === undefined || !Number.isFinite(time)) continue;
    out.push({ key, time, value });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Drops, in place, the points older than `cutoff` (points are in time order). In place so
 * the chart keeps the same data array. Returns how many were dropped.
 */
export function trimBefore(points: Point[], cutoff: number): number {
  let drop = 0;
  while (drop < points.length && points[drop].x < cutoff) drop++;
  if (drop) points.splice(0, drop);
  return drop;
}

/**
 * Appends a point (ignoring one not newer than the last) and trims to the window ending at it.
 * Returns true when the array changed.
 */
export function appendLive(points: Point[], point: Point, windowMs = LIVE_WINDOW_MS): boolean {
  const last = points.at(-1);
  if (last && point.x <= last.x) return false;
  points.push(point);
  trimBefore(points, point.x - windowMs);
  return true;
}

/** History as chart series: avg as the line, min and max as a band. */
export function historySeries(points: readonly HistoryPoint[]): BandSeries {
  const avg: Point[] = [];
  const min: Point[] = [];
  const max: Point[] = [];
  for (const [x, a, lo, hi] of points) {
    avg.push({ x, y: a });
    min.push({ x, y: lo });
    max.push({ x, y: hi });
  }
  return { avg, min, max };
}

/** Sums the avg of several histories bucket by bucket (same duration, so same bucket starts). */
export function sumHistories(responses: readonly Pick<HistoryResponse, 'points'>[]): Point[] {
  const byTime = new Map<number, number>();
  for (const response of responses) {
    for (const [x, avg] of response.points) byTime.set(x, (byTime.get(x) ?? 0) + avg);
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y }));
}

/** Axis label for epoch ms: HH:mm:ss for spans up to an hour, HH:mm up to a day, MM-dd HH:mm beyond. */
export function formatTick(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const hm = `${p(d.getHours())}:${p(d.getMinutes())}`;
  if (spanMs <= 60 * 60_000) return `${hm}:${p(d.getSeconds())}`;
  if (spanMs <= 24 * 60 * 60_000) return hm;
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${hm}`;
}

/** Alert raise/resolve times inside [from, to], for markers. */
export function alertMarks(
  alerts: readonly { startedAt: string; resolvedAt?: string; rule: string }[],
  from: number,
  to: number,
): { x: number; kind: 'raised' | 'resolved'; rule: string }[] {
  const marks: { x: number; kind: 'raised' | 'resolved'; rule: string }[] = [];
  for (const alert of alerts) {
    const raised = Date.parse(alert.startedAt);
    if (Number.isFinite(raised) && raised >= from && raised <= to) marks.push({ x: raised, kind: 'raised', rule: alert.rule });
    const resolved = alert.resolvedAt ? Date.parse(alert.resolvedAt) : NaN;
    if (Number.isFinite(resolved) && resolved >= from && resolved <= to) marks.push({ x: resolved, kind: 'resolved', rule: alert.rule });
  }
  return marks.sort((a, b) => a.x - b.x);
}

/** Finished deploys (completed or failed) inside [from, to], for markers: when the new version went live or did not. */
export function deployMarks(
  commands: readonly { type: string; state: string; finishedAt?: string; target: string; environment: string }[],
  from: number,
  to: number,
): { x: number; label: string }[] {
  const marks: { x: number; label: string }[] = [];
  for (const command of commands) {
    if (command.type !== 'deploy' || (command.state !== 'completed' && command.state !== 'failed') || !command.finishedAt) continue;
    const x = Date.parse(command.finishedAt);
    if (Number.isFinite(x) && x >= from && x <= to)
      marks.push({ x, label: `deploy ${command.target}@${command.environment} ${command.state}` });
  }
  return marks.sort((a, b) => a.x - b.x);
}

/** Marker times as points at mid-height of a 0–100 % chart. */
export function markPoints(marks: readonly { x: number }[]): Point[] {
  return marks.map((mark) => ({ x: mark.x, y: 50 }));
}

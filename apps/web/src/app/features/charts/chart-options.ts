import type { LineConfig } from './chart-setup';
import { RANGE_MS, formatTick, type ChartRange, type Point } from './series';

/** Line colours, in the order series get them. */
export const SERIES_COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4b5563'];

type LineOptions = NonNullable<LineConfig['options']>;
type TickUnit = (value: number) => string;

const percent: TickUnit = (v) => `${v} %`;
const perSecond: TickUnit = (v) => `${v}/s`;

/** 1536 → "1.5 KiB/s": network axis ticks. */
export function byteRate(bytes: number): string {
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A linear time axis (epoch ms, no date adapter) whose tick labels fit the range shown. */
function timeAxis(range: () => ChartRange) {
  return {
    type: 'linear' as const,
    ticks: { maxTicksLimit: 6, callback: (value: string | number) => formatTick(Number(value), RANGE_MS[range()]) },
  };
}

/** What every chart shares: no animation, no parsing (points are ready), decimation, the time axis. */
function lineOptions(unit: TickUnit, range: () => ChartRange): LineOptions {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0 }, line: { borderWidth: 1.5, tension: 0 } },
    scales: {
      x: timeAxis(range),
      y: { beginAtZero: true, ticks: { callback: (value) => unit(Number(value)) } },
    },
    plugins: {
      decimation: { enabled: true, algorithm: 'lttb', samples: 200 },
      legend: { labels: { boxWidth: 12 } },
      tooltip: { callbacks: { title: (items) => (items[0] ? new Date(items[0].parsed.x ?? 0).toLocaleString() : '') } },
    },
  };
}

/** A marker series: a vertical line at each point, no line between them. */
function markerDataset(label: string, data: Point[], style: { borderColor: string; borderWidth: number; borderDash?: number[] }) {
  return { label, data, showLine: false, pointStyle: 'line' as const, pointRotation: 90, pointRadius: 40, pointHoverRadius: 40, ...style };
}

/**
 * CPU and memory (0–100 %), their min/max bands (history only, empty live) and the alert
 * and deploy markers. Dataset order is fixed: 0 CPU, 1 memory, 2–5 bands, 6 alerts, 7 deploys.
 */
export function cpuMemoryConfig(
  live: { cpu: Point[]; memory: Point[]; alerts: Point[]; deploys: Point[] },
  range: () => ChartRange,
): LineConfig {
  const options = lineOptions(percent, range);
  return {
    type: 'line',
    data: {
      datasets: [
        { label: 'CPU %', data: live.cpu, borderColor: SERIES_COLORS[0], backgroundColor: SERIES_COLORS[0] },
        { label: 'Memory %', data: live.memory, borderColor: SERIES_COLORS[1], backgroundColor: SERIES_COLORS[1] },
        // min/max bands (history only): max fills down to min.
        { label: 'CPU min', data: [], borderWidth: 0, pointRadius: 0, fill: false },
        { label: 'CPU max', data: [], borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: 'rgba(37,99,235,0.15)' },
        { label: 'Memory min', data: [], borderWidth: 0, pointRadius: 0, fill: false },
        { label: 'Memory max', data: [], borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: 'rgba(219,39,119,0.15)' },
        markerDataset('Alerts', live.alerts, { borderColor: '#dc2626', borderWidth: 1 }),
        markerDataset('Deploys', live.deploys, { borderColor: '#16a34a', borderWidth: 2, borderDash: [4, 3] }),
      ],
    },
    options: {
      ...options,
      scales: {
        x: timeAxis(range),
        y: { min: 0, max: 100, ticks: { callback: (v) => percent(Number(v)) } },
      },
      plugins: {
        ...options.plugins,
        legend: { labels: { boxWidth: 12, filter: (item) => !/ (min|max)$/.test(item.text) } },
      },
    },
  };
}

/** Received and sent bytes/s (datasets 0 and 1). */
export function networkConfig(live: { rx: Point[]; tx: Point[] }, range: () => ChartRange): LineConfig {
  return {
    type: 'line',
    data: {
      datasets: [
        { label: 'Received', data: live.rx, borderColor: SERIES_COLORS[2], backgroundColor: SERIES_COLORS[2] },
        { label: 'Sent', data: live.tx, borderColor: SERIES_COLORS[3], backgroundColor: SERIES_COLORS[3] },
      ],
    },
    options: lineOptions(byteRate, range),
  };
}

/** Requests/s, one dataset per service (added as services appear). */
export function requestsConfig(range: () => ChartRange): LineConfig {
  return { type: 'line', data: { datasets: [] }, options: lineOptions(perSecond, range) };
}

/** A dataset for the `index`-th series of a chart with one series per source. */
export function seriesDataset(label: string, data: Point[], index: number) {
  const color = SERIES_COLORS[index % SERIES_COLORS.length];
  return { label, data, borderColor: color, backgroundColor: color };
}

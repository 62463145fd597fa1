import type { ChartRange, Point } from './series';

/** A dataset as the summary reads it (Chart.js's, narrowed to what matters here). */
export interface SummarizedDataset {
  label?: string;
  data: readonly unknown[];
  /** false for marker series (alerts, deploys): marks, not values. */
  showLine?: boolean;
}

function isPoint(value: unknown): value is Point {
  return typeof value === 'object' && value !== null && typeof (value as Point).y === 'number' && Number.isFinite((value as Point).y);
}

function figure(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
}

const RANGE_WORDS: Readonly<Record<ChartRange, string>> = {
  live: 'the last 5 minutes',
  '1h': 'the last hour',
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
};

/**
 * A chart's text alternative: what it shows, over which range, and per series the
 * latest value and the lowest and highest, so a screen reader user reads what a
 * sighted user sees at a glance.
 */
export function chartSummary(title: string, datasets: readonly SummarizedDataset[], range: ChartRange): string {
  const parts = datasets.flatMap((dataset) => {
    if (dataset.showLine === false) return [];
    const values = dataset.data.filter(isPoint).map((point) => point.y);
    if (values.length === 0) return [];
    const latest = values[values.length - 1];
    return [`${dataset.label ?? 'series'} latest ${figure(latest)}, from ${figure(Math.min(...values))} to ${figure(Math.max(...values))}`];
  });
  return `${title} over ${RANGE_WORDS[range]}: ${parts.length === 0 ? 'no data yet' : parts.join('; ')}.`;
}

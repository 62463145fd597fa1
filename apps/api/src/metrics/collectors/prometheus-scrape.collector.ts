import type { MetricInfo } from '@vigil/shared';
import { parseExposition, seriesName } from '../prometheus/parse-exposition';
import type { Collector } from './collector';
import { ratePerSecond } from './metric-units';

export interface ScrapeTarget {
  source: string;
  environment?: string;
  url: string;
  intervalMs: number;
  timeoutMs: number;
}

/**
 * Scrapes a URL that serves the Prometheus text format. Counters become rates
 * (`<name>_per_s`, from two scrapes), gauges stay values. Histogram and summary
 * buckets are skipped; their `_count` and `_sum` are kept as rates.
 */
export class PrometheusScrapeCollector implements Collector {
  readonly source: string;
  readonly environment?: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  private previous?: { at: number; counters: Map<string, number> };
  private readonly kinds = new Map<string, MetricInfo>();

  constructor(private readonly target: ScrapeTarget) {
    this.source = target.source;
    this.environment = target.environment;
    this.intervalMs = target.intervalMs;
    this.timeoutMs = target.timeoutMs;
  }

  describe(metric: string): MetricInfo {
    return this.kinds.get(metric) ?? { name: metric, unit: '', kind: 'gauge' };
  }

  async collect(): Promise<Record<string, number>> {
    const response = await fetch(this.target.url, {
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: { accept: 'text/plain;version=0.0.4' },
    });
    if (!response.ok) throw new Error(`${this.target.url} answered ${response.status}`);
    const samples = parseExposition(await response.text());
    const now = Date.now();
    const values: Record<string, number> = {};
    const counters = new Map<string, number>();
    for (const sample of samples) {
      if (!Number.isFinite(sample.value) || sample.name.endsWith('_bucket')) continue;
      if (sample.type === 'summary' && 'quantile' in sample.labels) continue;
      const isCounter = sample.type === 'counter' || sample.name.endsWith('_count') || sample.name.endsWith('_sum');
      if (isCounter) {
        const name = seriesName(`${sample.name}_per_s`, sample.labels);
        counters.set(name, sample.value);
        this.kinds.set(name, { name, unit: '/s', kind: 'rate' });
      } else {
        const name = seriesName(sample.name, sample.labels);
        values[name] = sample.value;
        if (!this.kinds.has(name)) this.kinds.set(name, { name, unit: '', kind: 'gauge' });
      }
    }
    for (const [name, current] of counters) {
      const rate = ratePerSecond(this.previous?.counters.get(name), current, now - (this.previous?.at ?? now));
      if (rate !== undefined) values[name] = rate;
    }
    this.previous = { at: now, counters };
    return values;
  }
}

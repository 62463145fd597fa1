import type { MetricInfo } from '@vigil/shared';
import { readFileSync } from 'node:fs';
import type { ScrapeTargetConfig } from '../../config/vigil-config.schema';
import { HISTOGRAM_QUANTILES, histogramQuantile } from '../prometheus/histogram-quantiles';
import { parseExposition, seriesName, type PromSample } from '../prometheus/parse-exposition';
import { scrapeRequest } from '../prometheus/scrape-request';
import type { Collector } from './collector';
import { ratePerSecond } from './metric-units';

/** A scrape target: the config's options (all optional for internal scrapes such as supervised services). */
export type ScrapeTarget = Pick<ScrapeTargetConfig, 'source' | 'url'> &
  Partial<Omit<ScrapeTargetConfig, 'source' | 'url' | 'intervalSeconds' | 'timeoutSeconds'>> & {
    environment?: string;
    intervalMs: number;
    timeoutMs: number;
  };

/** Scrape bodies over this are refused (a runaway exporter must not eat memory). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

function globs(patterns: readonly string[] | undefined): RegExp[] | undefined {
  return patterns?.map(
    (glob) =>
      new RegExp(
        `^${glob
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ),
  );
}

function withoutLabel(labels: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => key !== name));
}

type Kind = { as: 'counter' | 'gauge'; name: string } | { as: 'bucket'; le: number; base: string } | { as: 'skip' };

/** What one sample becomes: the declared `# TYPE` decides, never the name's suffix alone. */
function kindOf(sample: PromSample): Kind {
  const { name, family, type, labels } = sample;
  const part = name === family ? '' : name.slice(family.length);
  // `_created` is a timestamp (when the series began), not something to chart or rate.
  if (part === '_created') return { as: 'skip' };
  if (type === 'histogram' || type === 'gaugehistogram') {
    if (part === '_bucket') {
      const le = labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le);
      return Number.isNaN(le) ? { as: 'skip' } : { as: 'bucket', le, base: seriesName(family, withoutLabel(labels, 'le')) };
    }
    if (type === 'gaugehistogram') return { as: 'gauge', name: seriesName(name, labels) };
    return part === '_sum' || part === '_count' ? { as: 'counter', name: seriesName(`${name}_per_s`, labels) } : { as: 'skip' };
  }
  if (type === 'summary') {
    if (part === '_sum' || part === '_count') return { as: 'counter', name: seriesName(`${name}_per_s`, labels) };
    // Quantiles are kept as they are: `family{quantile="0.99"}`.
    return { as: 'gauge', name: seriesName(name, labels) };
  }
  // Untyped: only the `_total` convention makes a counter.
  if (type === 'counter' || (type === 'untyped' && name.endsWith('_total')))
    return { as: 'counter', name: seriesName(`${name}_per_s`, labels) };
  return { as: 'gauge', name: seriesName(name, labels) };
}

/**
 * Scrapes a URL that serves the Prometheus text format or OpenMetrics. Counters
 * (and histogram/summary `_sum`/`_count`) become rates (`<name>_per_s`, from two
 * scrapes); gauges, untyped values and summary quantiles stay values; histogram
 * buckets give `<family>_p50|_p90|_p99` over each scrape interval. Per target:
 * headers, bearer token (or file), basic auth, TLS CA or insecureSkipVerify, a
 * metric allow/deny list and a series limit (over it the scrape fails, saying so).
 */
export class PrometheusScrapeCollector implements Collector {
  readonly source: string;
  readonly environment?: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  private previous?: { at: number; counters: Map<string, number>; buckets: Map<string, Map<number, number>> };
  private readonly kinds = new Map<string, MetricInfo>();
  private readonly allow?: RegExp[];
  private readonly deny?: RegExp[];

  constructor(private readonly target: ScrapeTarget) {
    this.source = target.source;
    this.environment = target.environment;
    this.intervalMs = target.intervalMs;
    this.timeoutMs = target.timeoutMs;
    this.allow = globs(target.metrics?.allow);
    this.deny = globs(target.metrics?.deny);
  }

  describe(metric: string): MetricInfo {
    return this.kinds.get(metric) ?? { name: metric, unit: '', kind: 'gauge' };
  }

  /** Files are read at each scrape, so a rotated token or CA is picked up. */
  private requestHeaders(): Record<string, string> {
    const headers: Record<string, string> = { ...this.target.headers };
    const bearer =
      this.target.bearerToken ?? (this.target.bearerTokenFile ? readFileSync(this.target.bearerTokenFile, 'utf8').trim() : undefined);
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const basic = this.target.basicAuth;
    if (basic) {
      const password = basic.password ?? (basic.passwordFile ? readFileSync(basic.passwordFile, 'utf8').trim() : '');
      headers.authorization = `Basic ${Buffer.from(`${basic.username}:${password}`).toString('base64')}`;
    }
    return headers;
  }

  private wanted(family: string): boolean {
    if (this.allow && !this.allow.some((glob) => glob.test(family))) return false;
    return !this.deny?.some((glob) => glob.test(family));
  }

  async collect(): Promise<Record<string, number>> {
    const tls = this.target.tls;
    const text = await scrapeRequest({
      url: this.target.url,
      timeoutMs: this.timeoutMs,
      headers: this.requestHeaders(),
      ca: tls?.ca ?? (tls?.caFile ? readFileSync(tls.caFile, 'utf8') : undefined),
      insecureSkipVerify: tls?.insecureSkipVerify,
      maxBytes: MAX_BODY_BYTES,
    });
    const now = Date.now();
    const values: Record<string, number> = {};
    const counters = new Map<string, number>();
    const buckets = new Map<string, Map<number, number>>();
    for (const sample of parseExposition(text)) {
      if (!this.wanted(sample.family)) continue;
      const kind = kindOf(sample);
      if (kind.as === 'skip') continue;
      if (kind.as === 'bucket') {
        let counts = buckets.get(kind.base);
        if (!counts) {
          counts = new Map<number, number>();
          buckets.set(kind.base, counts);
        }
        counts.set(kind.le, sample.value);
        continue;
      }
      if (!Number.isFinite(sample.value)) continue;
      if (kind.as === 'counter') {
        counters.set(kind.name, sample.value);
        this.kinds.set(kind.name, { name: kind.name, unit: '/s', kind: 'rate' });
      } else {
        values[kind.name] = sample.value;
        if (!this.kinds.has(kind.name)) this.kinds.set(kind.name, { name: kind.name, unit: '', kind: 'gauge' });
      }
    }
    const limit = this.target.seriesLimit ?? 10_000;
    const series = Object.keys(values).length + counters.size + buckets.size * HISTOGRAM_QUANTILES.length;
    if (series > limit) {
      throw new Error(
        `${series} series, over this target's seriesLimit of ${limit}: nothing stored (raise seriesLimit, or narrow metrics.allow/deny)`,
      );
    }
    for (const [name, current] of counters) {
      const rate = ratePerSecond(this.previous?.counters.get(name), current, now - (this.previous?.at ?? now));
      if (rate !== undefined) values[name] = rate;
    }
    this.addQuantiles(values, buckets);
    this.previous = { at: now, counters, buckets };
    return values;
  }

  /** p50/p90/p99 of what was observed since the last scrape (a counter reset starts from zero). */
  private addQuantiles(values: Record<string, number>, buckets: Map<string, Map<number, number>>): void {
    for (const [base, counts] of buckets) {
      const before = this.previous?.buckets.get(base);
      if (!before) continue;
      const deltas = [...counts].map(([le, count]) => ({ le, count: count - (before.get(le) ?? 0) }));
      // A counter reset (the exporter restarted): what it counted since is the interval's.
      const reset = deltas.some((delta) => delta.count < 0);
      const increases = reset ? [...counts].map(([le, count]) => ({ le, count })) : deltas;
      const brace = base.indexOf('{');
      const family = brace < 0 ? base : base.slice(0, brace);
      const labels = brace < 0 ? '' : base.slice(brace);
      for (const [suffix, q] of HISTOGRAM_QUANTILES) {
        const value = histogramQuantile(q, increases);
        if (value === undefined) continue;
        const name = `${family}_${suffix}${labels}`;
        values[name] = value;
        if (!this.kinds.has(name)) this.kinds.set(name, { name, unit: '', kind: 'gauge' });
      }
    }
  }
}

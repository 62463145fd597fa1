import type { MetricInfo } from '@vigil/shared';
import type { Collector } from '../metrics/collectors/collector';
import { describeMetric } from '../metrics/collectors/metric-units';
import { PrometheusScrapeCollector } from '../metrics/collectors/prometheus-scrape.collector';
import { readRssBytes, readStat, readUptimeSeconds, systemConstants } from './proc';

/** A live process of a supervised service. */
export interface LiveInstance {
  index: number;
  pid: number;
  port: number | null;
  /** True once it answered its health check. */
  running: boolean;
}

export interface ServiceCollectorOptions {
  source: string;
  environment: string;
  intervalMs: number;
  timeoutMs: number;
  /** With `{port}`: each instance's Prometheus endpoint is scraped and the series summed. */
  metricsUrl?: string;
  instances(): LiveInstance[];
}

/**
 * Metrics of one supervised service: per-process CPU % and RSS from /proc
 * (summed, and per instance as `instance<N>.…`), how many instances run, and —
 * with a metricsUrl — every instance's Prometheus metrics, summed across instances.
 *
 * CPU % is of one core (100 = one core busy), from the CPU ticks between two
 * collections; the first collection of a process uses its lifetime average.
 */
export class ServiceCollector implements Collector {
  readonly source: string;
  readonly environment: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  private readonly cpu = new Map<number, { ticks: number; at: number }>();
  private readonly scrapers = new Map<number, { pid: number; collector: PrometheusScrapeCollector }>();

  constructor(private readonly options: ServiceCollectorOptions) {
    this.source = options.source;
    this.environment = options.environment;
    this.intervalMs = options.intervalMs;
    this.timeoutMs = options.timeoutMs;
  }

  describe(metric: string): MetricInfo {
    const own = describeMetric(metric);
    if (own.unit !== '' || /^instance\d+\./.test(metric) || metric === 'instances_running') return own;
    for (const { collector } of this.scrapers.values()) {
      const info = collector.describe(metric);
      if (info.kind === 'rate' || info.unit !== '') return info;
    }
    return own;
  }

  async collect(): Promise<Record<string, number>> {
    const instances = this.options.instances();
    const { clockTicks, pageSize } = await systemConstants();
    const uptime = await readUptimeSeconds();
    const now = Date.now();
    const values: Record<string, number> = { cpu_percent: 0, rss_bytes: 0, instances_running: 0 };
    const seen = new Set<number>();

    await Promise.all(
      instances.map(async (instance) => {
        seen.add(instance.pid);
        const [stat, rss] = await Promise.all([readStat(instance.pid), readRssBytes(instance.pid, pageSize)]);
        if (!stat || stat.state === 'Z') return;
        if (instance.running) values.instances_running += 1;
        let cpuPercent: number | undefined;
        const previous = this.cpu.get(instance.pid);
        if (previous && now > previous.at) {
          cpuPercent = (((stat.cpuTicks - previous.ticks) / clockTicks) * 100_000) / (now - previous.at);
        } else if (uptime !== null) {
          const lifetime = uptime - stat.startTicks / clockTicks;
          if (lifetime > 0) cpuPercent = ((stat.cpuTicks / clockTicks) * 100) / lifetime;
        }
        this.cpu.set(instance.pid, { ticks: stat.cpuTicks, at: now });
        if (cpuPercent !== undefined && Number.isFinite(cpuPercent)) {
          cpuPercent = Math.max(0, cpuPercent);
          values[`instance${instance.index}.cpu_percent`] = cpuPercent;
          values.cpu_percent += cpuPercent;
        }
        if (rss !== null) {
          values[`instance${instance.index}.rss_bytes`] = rss;
          values.rss_bytes += rss;
        }
      }),
    );
    for (const pid of this.cpu.keys()) if (!seen.has(pid)) this.cpu.delete(pid);

    // The service's own figures win over a scraped series of the same name.
    return this.options.metricsUrl ? { ...(await this.scrapeAll(this.options.metricsUrl, instances)), ...values } : values;
  }

  /** Every instance's scrape, summed by series name; an instance that does not answer is left out. */
  private async scrapeAll(template: string, instances: LiveInstance[]): Promise<Record<string, number>> {
    const live = new Set<number>();
    const jobs: Promise<Record<string, number>>[] = [];
    for (const instance of instances) {
      if (instance.port === null && template.includes('{port}')) continue;
      live.add(instance.index);
      let entry = this.scrapers.get(instance.index);
      // A new process starts its counters from zero: start its rates afresh too.
      if (entry?.pid !== instance.pid) {
        entry = {
          pid: instance.pid,
          collector: new PrometheusScrapeCollector({
            source: this.source,
            environment: this.environment,
            url: template.replaceAll('{port}', String(instance.port)),
            intervalMs: this.intervalMs,
            timeoutMs: this.timeoutMs,
          }),
        };
        this.scrapers.set(instance.index, entry);
      }
      jobs.push(entry.collector.collect().catch(() => ({})));
    }
    for (const index of this.scrapers.keys()) if (!live.has(index)) this.scrapers.delete(index);
    const sums: Record<string, number> = {};
    for (const values of await Promise.all(jobs)) {
      for (const [name, value] of Object.entries(values)) sums[name] = (sums[name] ?? 0) + value;
    }
    return sums;
  }
}

import type { Collector } from '../metrics/collectors/collector';
import type { SampleBuffer } from './sample-buffer';

/**
 * The agent's sampler: the same collectors as the server's (host, host storage, each
 * supervised service), each on its own interval, every sample into the buffer with
 * the units of its metrics. Stands in for SamplerService as the supervisor's CollectorRegistry.
 */
export class AgentSampler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  /** Per source: the metric names whose units were last sent, and when (units go again on a change or after a minute). */
  private readonly unitsSent = new Map<string, { names: string; at: number }>();

  constructor(private readonly buffer: SampleBuffer) {}

  add(collector: Collector): void {
    const key = `${collector.environment ?? '*'}/${collector.source}`;
    this.remove(collector.source, collector.environment);
    const timer = setInterval(() => void this.sample(collector, key), collector.intervalMs);
    timer.unref();
    this.timers.set(key, timer);
    void this.sample(collector, key);
  }

  remove(source: string, environment?: string): void {
    const key = `${environment ?? '*'}/${source}`;
    clearInterval(this.timers.get(key));
    this.timers.delete(key);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearInterval(timer);
    this.timers.clear();
  }

  /** The units of the sample's metrics, when the server may not know them yet. */
  private unitsFor(
    key: string,
    collector: Collector,
    values: Record<string, number>,
  ): { units?: Record<string, { unit: string; kind: 'gauge' | 'rate' }> } {
    const names = Object.keys(values).sort().join(',');
    const sent = this.unitsSent.get(key);
    if (sent?.names === names && Date.now() - sent.at < 60_000) return {};
    this.unitsSent.set(key, { names, at: Date.now() });
    const units: Record<string, { unit: string; kind: 'gauge' | 'rate' }> = {};
    for (const metric of Object.keys(values)) {
      const info = collector.describe(metric);
      units[metric] = { unit: info.unit, kind: info.kind };
    }
    return { units };
  }

  private async sample(collector: Collector, key: string): Promise<void> {
    if (this.running.has(key)) return;
    this.running.add(key);
    const time = new Date().toISOString();
    let timer: NodeJS.Timeout | undefined;
    try {
      const values = await Promise.race([
        collector.collect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`timed out after ${collector.timeoutMs} ms`));
          }, collector.timeoutMs);
        }),
      ]);
      this.buffer.push({
        source: collector.source,
        ...(collector.environment ? { environment: collector.environment } : {}),
        time,
        values,
        ...this.unitsFor(key, collector, values),
      });
    } catch (error) {
      this.buffer.push({
        source: collector.source,
        ...(collector.environment ? { environment: collector.environment } : {}),
        time,
        values: {},
        error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      });
    } finally {
      clearTimeout(timer);
      this.running.delete(key);
    }
  }
}

import { SchedulerRegistry } from '@nestjs/schedule';
import type { MetricSample } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { OwnMetrics } from '../telemetry/own-metrics';
import type { Collector } from './collectors/collector';
import { describeMetric } from './collectors/metric-units';
import { MetricsService } from './metrics.service';
import { SamplerService } from './sampler.service';
import { SqliteTimeSeriesStore } from './tsdb/sqlite-time-series-store';
import type { TimeSeriesStore } from './tsdb/time-series-store';

class CountingCollector implements Collector {
  readonly environment = undefined;
  readonly timeoutMs = 200;
  calls = 0;
  constructor(
    readonly source: string,
    readonly intervalMs: number,
    private readonly behaviour: 'ok' | 'throw' | 'hang',
  ) {}
  describe = describeMetric;
  async collect(): Promise<Record<string, number>> {
    this.calls += 1;
    if (this.behaviour === 'throw') throw new Error('sensor on fire');
    if (this.behaviour === 'hang') await new Promise((resolve) => setTimeout(resolve, 5_000));
    return { value_percent: this.calls };
  }
}

describe('SamplerService', () => {
  let dir: string;
  let events: SqliteEventStore;
  let tsdb: TimeSeriesStore;
  let metrics: MetricsService;
  let own: OwnMetrics;
  let scheduler: SchedulerRegistry;
  let sampler: SamplerService;
  const seen: MetricSample[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-sampler-'));
    events = await SqliteEventStore.open({ file: join(dir, 'events.db') });
    tsdb = await SqliteTimeSeriesStore.open({ file: join(dir, 'metrics.db') });
    own = new OwnMetrics(events);
    metrics = new MetricsService(tsdb, own);
    scheduler = new SchedulerRegistry();
    sampler = new SamplerService(loadConfig(join(dir, 'none.yaml')), metrics, own, scheduler);
    seen.length = 0;
    metrics.samples$.subscribe((sample) => seen.push(sample));
  });

  afterEach(async () => {
    for (const name of scheduler.getIntervals()) scheduler.deleteInterval(name);
    await metrics.onApplicationShutdown();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a throwing and a hanging collector as error samples while the others go on', async () => {
    const good = new CountingCollector('good', 100, 'ok');
    const broken = new CountingCollector('broken', 100, 'throw');
    const stuck = new CountingCollector('stuck', 100, 'hang');
    sampler.add(good);
    sampler.add(broken);
    sampler.add(stuck);
    await new Promise((resolve) => setTimeout(resolve, 750));

    const goodSamples = seen.filter((s) => s.source === 'good');
    expect(goodSamples.length).toBeGreaterThanOrEqual(5);
    expect(goodSamples.every((s) => s.error === undefined && s.values.value_percent > 0)).toBe(true);
    const brokenSamples = seen.filter((s) => s.source === 'broken');
    expect(brokenSamples.length).toBeGreaterThanOrEqual(5);
    expect(brokenSamples.every((s) => s.error === 'sensor on fire')).toBe(true);
    const stuckSamples = seen.filter((s) => s.source === 'stuck');
    expect(stuckSamples.length).toBeGreaterThanOrEqual(1);
    expect(stuckSamples[0].error).toMatch(/timed out after 200 ms/);
  });

  it('stores sampled values so history can answer, with their units in the catalog', async () => {
    await sampler.sample(new CountingCollector('stored', 1000, 'ok'));
    await sampler.sample(new CountingCollector('stored', 1000, 'ok'));
    await metrics.flush();
    const entry = (await tsdb.catalog()).find((info) => info.key.source === 'stored');
    expect(entry).toMatchObject({ key: { source: 'stored', metric: 'value_percent' }, unit: '%', kind: 'gauge' });
    const result = await tsdb.query({
      key: { source: 'stored', metric: 'value_percent' },
      from: Date.now() - 60_000,
      to: Date.now() + 1000,
      maxPoints: 10,
    });
    expect(result.points.length).toBeGreaterThan(0);
    expect(metrics.lastMetricAt).not.toBeNull();
  });
});

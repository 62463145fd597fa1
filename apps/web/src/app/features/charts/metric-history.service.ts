import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { HistoryResponse, MetricSample } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { HOST_SOURCE_KEY, interfaceMetrics, latestSample, requestMetrics } from '../../core/metric-values';
import { historySeries, sumHistories, type BandSeries, type HistoryRange, type Point } from './series';

export const METRICS_HISTORY_URL = '/api/metrics/history';

/** Buckets asked for per series: about one per pixel column of a chart. */
const MAX_POINTS = 300;

/** What the charts plot for a history range. */
export interface ChartHistory {
  cpu: BandSeries;
  memory: BandSeries;
  /** Bytes/s over every interface but loopback. */
  rx: Point[];
  tx: Point[];
  /** Requests/s per service source (`<env>/<service>`). */
  requests: { key: string; points: Point[] }[];
  /** Epoch ms the CPU history ends at. */
  to: number;
}

/** The history API (GET /api/metrics/history) for the charts' 1h / 24h / 7d ranges. */
@Injectable({ providedIn: 'root' })
export class MetricHistoryService {
  private readonly http = inject(HttpClient);

  /**
   * The host's CPU and memory (avg with a min/max band), its network summed over the
   * interfaces the latest host sample names, and requests/s of every service that
   * reports them in `metrics` (the latest samples): one request per metric, all at once.
   */
  async load(range: HistoryRange, metrics: Record<string, MetricSample>): Promise<ChartHistory> {
    const hostValues = latestSample(metrics, HOST_SOURCE_KEY)?.values ?? {};
    const services = Object.values(metrics).filter((sample) => sample.environment && requestMetrics(sample.values).length);
    const [cpu, memory, rx, tx, requests] = await Promise.all([
      this.history('cpu_percent', 'host', range),
      this.history('memory_percent', 'host', range),
      Promise.all(interfaceMetrics(hostValues, 'rx_bytes_per_s').map((metric) => this.history(metric, 'host', range))),
      Promise.all(interfaceMetrics(hostValues, 'tx_bytes_per_s').map((metric) => this.history(metric, 'host', range))),
      Promise.all(
        services.map(async (sample) => ({
          key: `${sample.environment}/${sample.source}`,
          points: sumHistories(
            await Promise.all(
              requestMetrics(sample.values).map((metric) => this.history(metric, sample.source, range, sample.environment)),
            ),
          ),
        })),
      ),
    ]);
    return {
      cpu: historySeries(cpu.points),
      memory: historySeries(memory.points),
      rx: sumHistories(rx),
      tx: sumHistories(tx),
      requests,
      to: cpu.to,
    };
  }

  private history(metric: string, source: string, range: HistoryRange, environment?: string): Promise<HistoryResponse> {
    let params = new HttpParams().set('metric', metric).set('source', source).set('duration', range).set('maxPoints', MAX_POINTS);
    if (environment) params = params.set('environment', environment);
    return firstValueFrom(this.http.get<HistoryResponse>(METRICS_HISTORY_URL, { params }));
  }
}

import { HttpClient, HttpParams } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  InjectionToken,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { dashboardForEnvironment, type CommandView, type HistoryResponse, type MetricSample } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { injectReadOnlyReason } from '../../core/read-only';
import { ThemeService } from '../../core/theme.service';
import { axisColors } from './axis-colors';
import { createChart, type ChartFactory, type ChartHandle, type LineConfig } from './chart-setup';
import {
  HOST_SOURCE_KEY,
  LIVE_WINDOW_MS,
  alertMarks,
  deployMarks,
  appendLive,
  formatTick,
  historySeries,
  hostFigures,
  interfaceMetrics,
  requestMetrics,
  serviceRequests,
  sumHistories,
  trimBefore,
  type Point,
} from './series';

/** How charts get made; tests swap in a fake (jsdom has no canvas). */
export const CHART_FACTORY = new InjectionToken<ChartFactory>('CHART_FACTORY', { factory: () => createChart });

export type ChartRange = 'live' | '1h' | '24h' | '7d';
const RANGE_MS: Record<ChartRange, number> = { live: LIVE_WINDOW_MS, '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 };
const MAX_POINTS = 300;
const COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4b5563'];

/** Live series kept whatever the range shows, so going back to live loses nothing. */
interface LiveBuffers {
  cpu: Point[];
  memory: Point[];
  rx: Point[];
  tx: Point[];
  alerts: Point[];
  deploys: Point[];
  requests: Map<string, Point[]>;
}

function lineOptions(unit: (v: number) => string, range: () => ChartRange): NonNullable<LineConfig['options']> {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0 }, line: { borderWidth: 1.5, tension: 0 } },
    scales: {
      x: {
        type: 'linear',
        ticks: { maxTicksLimit: 6, callback: (value) => formatTick(Number(value), RANGE_MS[range()]) },
      },
      y: { beginAtZero: true, ticks: { callback: (value) => unit(Number(value)) } },
    },
    plugins: {
      decimation: { enabled: true, algorithm: 'lttb', samples: 200 },
      legend: { labels: { boxWidth: 12 } },
      tooltip: { callbacks: { title: (items) => (items[0] ? new Date(items[0].parsed.x ?? 0).toLocaleString() : '') } },
    },
  };
}

function rate(bytes: number): string {
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A marker series: a vertical line at each point, no line between them. */
function markerDataset(label: string, data: Point[], style: { borderColor: string; borderWidth: number; borderDash?: number[] }) {
  return { label, data, showLine: false, pointStyle: 'line' as const, pointRotation: 90, pointRadius: 40, pointHoverRadius: 40, ...style };
}

/** Marker times as points at mid-height of a 0–100 % chart. */
function markPoints(marks: readonly { x: number }[]): Point[] {
  return marks.map((mark) => ({ x: mark.x, y: 50 }));
}

/**
 * Host CPU/memory, host network and per-service requests/s (of the header's environment).
 * Reads DASHBOARD_SOURCE: in a replay the window ends at the replay clock and no range
 * buttons are shown (history comes from the replay itself, not the API). Live: the last 5 minutes,
 * appended from the stream state into the same dataset arrays (`update('none')`, never
 * re-created). 1h / 24h / 7d: loaded from the history API (avg line, min/max band for CPU
 * and memory). Alert raise/resolve times (red) and finished deploys (dashed green) are marked on
 * the CPU/memory chart.
 */
@Component({
  selector: 'vg-metric-charts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="panel charts" aria-labelledby="charts-heading" data-testid="metric-charts" [attr.data-range]="range()">
      <div class="panel-head">
        <h2 id="charts-heading">Charts</h2>
        @if (!readOnly()) {
          <div class="ranges" role="group" aria-label="Time range">
            @for (r of ranges; track r) {
              <button type="button" [attr.data-testid]="'range-' + r" [attr.aria-pressed]="range() === r" (click)="setRange(r)">
                {{ r === 'live' ? 'Live 5m' : r }}
              </button>
            }
            @if (loading()) {
              <span class="help" role="status">loading…</span>
            }
            @if (loadError(); as e) {
              <span class="error" role="status" data-testid="charts-error">{{ e }}</span>
            }
          </div>
        }
      </div>
      <div class="grid">
        <figure class="chart" data-testid="chart-cpu-memory" [attr.data-points]="cpuPoints()">
          <figcaption>CPU &amp; memory (%)</figcaption>
          <div class="box"><canvas #cpuCanvas aria-label="CPU and memory percent over time" role="img"></canvas></div>
        </figure>
        <figure class="chart" data-testid="chart-network" [attr.data-points]="networkPoints()">
          <figcaption>Network (all interfaces but lo)</figcaption>
          <div class="box"><canvas #netCanvas aria-label="Network receive and send rate over time" role="img"></canvas></div>
        </figure>
        <figure class="chart" data-testid="chart-requests" [attr.data-points]="requestPoints()">
          <figcaption>Requests/s per service</figcaption>
          <div class="box"><canvas #reqCanvas aria-label="Requests per second per service over time" role="img"></canvas></div>
        </figure>
      </div>
    </section>
  `,
  styles: `
    :host {
      display: block;
    }
    .panel {
      background: var(--surface-1);
      border: 1px solid var(--border);
      border-radius: 8px;
      padding: 1rem 1.25rem;
      min-width: 0;
    }
    .panel-head {
      min-height: 2.25rem;
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 1rem;
      flex-wrap: wrap;
    }
    h2 {
      margin: 0;
      font-size: 1rem;
    }
    .help {
      font-size: 0.8rem;
      color: var(--text-muted);
    }
    .ranges {
      display: flex;
      gap: 0.25rem;
      align-items: center;
      flex-wrap: wrap;
    }
    .ranges button[aria-pressed='true'] {
      font-weight: 600;
      outline: 2px solid currentColor;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
      gap: 1rem;
    }
    .chart {
      margin: 0;
      min-width: 0;
    }
    figcaption {
      font-size: 0.85rem;
      margin-bottom: 0.25rem;
    }
    .box {
      position: relative;
      height: 12rem;
    }
    .error {
      color: var(--err);
    }
  `,
})
export class MetricChartsComponent {
  private readonly source = inject(DASHBOARD_SOURCE);
  private readonly environments = inject(EnvironmentService);
  /** Range buttons are controls: none in a replay or a kiosk. */
  protected readonly readOnly = injectReadOnlyReason();
  private readonly state = computed(() => dashboardForEnvironment(this.source.state(), this.environments.selected()));
  private readonly http = inject(HttpClient);
  private readonly factory = inject(CHART_FACTORY);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly theme = inject(ThemeService);
  private readonly injector = inject(Injector);

  private readonly cpuCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('cpuCanvas');
  private readonly netCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('netCanvas');
  private readonly reqCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('reqCanvas');

  protected readonly ranges: ChartRange[] = ['live', '1h', '24h', '7d'];
  readonly range = signal<ChartRange>('live');
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);
  /** Points in the CPU dataset as shown (exposed as `data-points` for tests). */
  readonly cpuPoints = signal(0);
  protected readonly networkPoints = signal(0);
  protected readonly requestPoints = signal(0);

  private readonly live: LiveBuffers = { cpu: [], memory: [], rx: [], tx: [], alerts: [], deploys: [], requests: new Map() };
  private cpuChart: ChartHandle | null = null;
  private netChart: ChartHandle | null = null;
  private reqChart: ChartHandle | null = null;
  private loadSeq = 0;

  private readonly alerts = computed(() => this.state().alerts ?? []);
  /** The deploys among the recent commands (a new array only when a deploy changed). */
  private readonly deploys = computed(() => this.state().commands.filter((command) => command.type === 'deploy'), {
    equal: (a, b) => a.length === b.length && a.every((command, i) => command === b[i]),
  });
  /** The environment the request series belong to; a change starts them afresh. */
  private shownEnvironment: string | undefined;

  constructor() {
    // Fold every new sample into the live buffers (also before the charts exist).
    effect(() => {
      const metrics = this.state().metrics;
      const environment = this.environments.selected();
      untracked(() => {
        if (environment !== this.shownEnvironment) this.forgetRequests(environment);
        this.ingest(metrics);
      });
    });
    // A replay's window follows its clock (which also jumps back when seeking).
    if (this.source.mode === 'replay') {
      effect(() => {
        const now = this.source.now();
        untracked(() => {
          this.followReplayClock(now);
        });
      });
    }
    effect(() => {
      const alerts = this.alerts();
      untracked(() => {
        this.markAlerts(alerts);
      });
    });
    effect(() => {
      const deploys = this.deploys();
      untracked(() => {
        this.markDeploys(deploys);
      });
    });
    afterNextRender(() => {
      this.createCharts();
    });
    // Canvas text and grid do not follow CSS: repaint them in the theme's colours.
    effect(() => {
      this.theme.theme();
      afterNextRender(
        () => {
          this.applyThemeColors();
        },
        { injector: this.injector },
      );
    });
    inject(DestroyRef).onDestroy(() => {
      this.cpuChart?.destroy();
      this.netChart?.destroy();
      this.reqChart?.destroy();
    });
  }

  /** Live, or a history range from the API. */
  setRange(range: ChartRange): void {
    if (range === this.range()) return;
    this.range.set(range);
    this.loadError.set(null);
    if (range === 'live') {
      this.loadSeq++;
      this.loading.set(false);
      this.showLive();
    } else {
      void this.loadHistory(range);
    }
  }

  private createCharts(): void {
    const percent = (v: number) => `${v} %`;
    const perSecond = (v: number) => `${v}/s`;
    this.cpuChart = this.factory(this.cpuCanvas().nativeElement, {
      type: 'line',
      data: {
        datasets: [
          { label: 'CPU %', data: this.live.cpu, borderColor: COLORS[0], backgroundColor: COLORS[0] },
          { label: 'Memory %', data: this.live.memory, borderColor: COLORS[1], backgroundColor: COLORS[1] },
          // min/max bands (history only): max fills down to min.
          { label: 'CPU min', data: [], borderWidth: 0, pointRadius: 0, fill: false },
          { label: 'CPU max', data: [], borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: 'rgba(37,99,235,0.15)' },
          { label: 'Memory min', data: [], borderWidth: 0, pointRadius: 0, fill: false },
          { label: 'Memory max', data: [], borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: 'rgba(219,39,119,0.15)' },
          markerDataset('Alerts', this.live.alerts, { borderColor: '#dc2626', borderWidth: 1 }),
          markerDataset('Deploys', this.live.deploys, { borderColor: '#16a34a', borderWidth: 2, borderDash: [4, 3] }),
        ],
      },
      options: {
        ...lineOptions(percent, () => this.range()),
        scales: {
          x: lineOptions(percent, () => this.range()).scales!['x'],
          y: { min: 0, max: 100, ticks: { callback: (v) => percent(Number(v)) } },
        },
        plugins: {
          ...lineOptions(percent, () => this.range()).plugins,
          legend: { labels: { boxWidth: 12, filter: (item) => !/ (min|max)$/.test(item.text) } },
        },
      },
    });
    this.netChart = this.factory(this.netCanvas().nativeElement, {
      type: 'line',
      data: {
        datasets: [
          { label: 'Received', data: this.live.rx, borderColor: COLORS[2], backgroundColor: COLORS[2] },
          { label: 'Sent', data: this.live.tx, borderColor: COLORS[3], backgroundColor: COLORS[3] },
        ],
      },
      options: lineOptions(rate, () => this.range()),
    });
    this.reqChart = this.factory(this.reqCanvas().nativeElement, {
      type: 'line',
      data: { datasets: [] },
      options: lineOptions(perSecond, () => this.range()),
    });
    this.syncRequestDatasets();
    this.redraw();
  }

  /** Appends what is new in the latest samples; redraws only in live mode. */
  private ingest(metrics: Record<string, MetricSample>): void {
    let changed = false;
    const host = metrics[HOST_SOURCE_KEY];
    const figures = host ? hostFigures(host) : null;
    if (figures) {
      const { time: x } = figures;
      if (figures.cpu !== undefined) changed = appendLive(this.live.cpu, { x, y: figures.cpu }) || changed;
      if (figures.memory !== undefined) changed = appendLive(this.live.memory, { x, y: figures.memory }) || changed;
      if (figures.rx !== undefined) changed = appendLive(this.live.rx, { x, y: figures.rx }) || changed;
      if (figures.tx !== undefined) changed = appendLive(this.live.tx, { x, y: figures.tx }) || changed;
    }
    let newSeries = false;
    const now = figures?.time ?? this.source.now();
    for (const { key, time, value } of serviceRequests(metrics)) {
      let points = this.live.requests.get(key);
      if (!points) {
        points = [];
        this.live.requests.set(key, points);
        newSeries = true;
      }
      changed = appendLive(points, { x: time, y: value }) || changed;
    }
    for (const points of this.live.requests.values()) trimBefore(points, now - LIVE_WINDOW_MS);
    trimBefore(this.live.alerts, now - LIVE_WINDOW_MS);
    trimBefore(this.live.deploys, now - LIVE_WINDOW_MS);
    if (!changed || this.range() !== 'live') return;
    if (newSeries) this.syncRequestDatasets();
    this.redraw();
  }

  private markAlerts(alerts: readonly { startedAt: string; resolvedAt?: string; rule: string }[]): void {
    this.replaceLiveMarks(this.live.alerts, (from, to) => alertMarks(alerts, from, to));
  }

  private markDeploys(deploys: readonly CommandView[]): void {
    this.replaceLiveMarks(this.live.deploys, (from, to) => deployMarks(deploys, from, to));
  }

  /** Refills a live marker buffer in place (the chart holds the array) with the marks of the live window. */
  private replaceLiveMarks(buffer: Point[], marksIn: (from: number, to: number) => readonly { x: number }[]): void {
    const to = this.source.now() + 60_000;
    buffer.splice(0, buffer.length, ...markPoints(marksIn(to - LIVE_WINDOW_MS - 60_000, to)));
    if (this.range() === 'live') this.redraw();
  }

  /** One dataset per service, its data being the live buffer itself. */
  private syncRequestDatasets(): void {
    if (!this.reqChart) return;
    const datasets = this.reqChart.data.datasets;
    [...this.live.requests.entries()].forEach(([key, points]) => {
      const existing = datasets.find((d) => d.label === key);
      if (existing) existing.data = points;
      else {
        const color = COLORS[datasets.length % COLORS.length];
        datasets.push({ label: key, data: points, borderColor: color, backgroundColor: color });
      }
    });
  }

  private showLive(): void {
    const cpu = this.cpuChart;
    if (cpu) {
      const d = cpu.data.datasets;
      d[0].data = this.live.cpu;
      d[1].data = this.live.memory;
      for (const i of [2, 3, 4, 5]) d[i].data = [];
      d[6].data = this.live.alerts;
      d[7].data = this.live.deploys;
    }
    if (this.netChart) {
      this.netChart.data.datasets[0].data = this.live.rx;
      this.netChart.data.datasets[1].data = this.live.tx;
    }
    if (this.reqChart) {
      this.reqChart.data.datasets.length = 0;
      this.syncRequestDatasets();
    }
    this.redraw();
  }

  private history(metric: string, source: string, range: ChartRange, environment?: string): Promise<HistoryResponse> {
    let params = new HttpParams().set('metric', metric).set('source', source).set('duration', range).set('maxPoints', MAX_POINTS);
    if (environment) params = params.set('environment', environment);
    return firstValueFrom(this.http.get<HistoryResponse>('/api/metrics/history', { params }));
  }

  private async loadHistory(range: ChartRange): Promise<void> {
    const seq = ++this.loadSeq;
    this.loading.set(true);
    const metrics = this.state().metrics;
    const hostValues = metrics[HOST_SOURCE_KEY]?.values ?? {};
    const services = Object.values(metrics).filter((s) => s.environment && requestMetrics(s.values).length);
    try {
      const [cpu, memory, rx, tx, requests] = await Promise.all([
        this.history('cpu_percent', 'host', range),
        this.history('memory_percent', 'host', range),
        Promise.all(interfaceMetrics(hostValues, 'rx_bytes_per_s').map((m) => this.history(m, 'host', range))),
        Promise.all(interfaceMetrics(hostValues, 'tx_bytes_per_s').map((m) => this.history(m, 'host', range))),
        Promise.all(
          services.map(async (s) => ({
            key: `${s.environment}/${s.source}`,
            points: sumHistories(await Promise.all(requestMetrics(s.values).map((m) => this.history(m, s.source, range, s.environment)))),
          })),
        ),
      ]);
      if (seq !== this.loadSeq) return; // superseded by another range (or live)
      const c = historySeries(cpu.points);
      const m = historySeries(memory.points);
      if (this.cpuChart) {
        const d = this.cpuChart.data.datasets;
        d[0].data = c.avg;
        d[1].data = m.avg;
        d[2].data = c.min;
        d[3].data = c.max;
        d[4].data = m.min;
        d[5].data = m.max;
        const last = Math.max(cpu.to ?? Date.now(), Date.now());
        d[6].data = markPoints(alertMarks(this.alerts(), last - RANGE_MS[range], last));
        d[7].data = markPoints(deployMarks(this.deploys(), last - RANGE_MS[range], last));
      }
      if (this.netChart) {
        this.netChart.data.datasets[0].data = sumHistories(rx);
        this.netChart.data.datasets[1].data = sumHistories(tx);
      }
      if (this.reqChart) {
        this.reqChart.data.datasets = requests.map((r, i) => ({
          label: r.key,
          data: r.points,
          borderColor: COLORS[i % COLORS.length],
          backgroundColor: COLORS[i % COLORS.length],
        }));
      }
      this.redraw();
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.loadError.set(`history not loaded: ${(error as { message?: string }).message ?? String(error)}`);
    } finally {
      if (seq === this.loadSeq) this.loading.set(false);
    }
  }

  private applyThemeColors(): void {
    const { text, grid } = axisColors(getComputedStyle(this.host.nativeElement).color);
    for (const chart of [this.cpuChart, this.netChart, this.reqChart]) {
      if (!chart) continue;
      for (const axis of Object.values(chart.options.scales ?? {})) {
        if (!axis) continue;
        axis.ticks = { ...axis.ticks, color: text };
        (axis as { grid?: { color?: string } }).grid = { ...(axis as { grid?: object }).grid, color: grid };
      }
      const legend = chart.options.plugins?.legend;
      if (legend) legend.labels = { ...legend.labels, color: text };
      chart.update('none');
    }
  }

  /** Request series of another environment are dropped when the header's choice changes. */
  private forgetRequests(environment: string | undefined): void {
    this.shownEnvironment = environment;
    if (this.live.requests.size === 0) return;
    this.live.requests.clear();
    if (this.reqChart) this.reqChart.data.datasets.length = 0;
    if (this.range() === 'live') this.redraw();
  }

  /** Replay: a clock before the newest point means a seek back, so the buffers start over. */
  private followReplayClock(now: number): void {
    const buffers = [this.live.cpu, this.live.memory, this.live.rx, this.live.tx, ...this.live.requests.values()];
    if (buffers.some((points) => (points[points.length - 1]?.x ?? 0) > now)) {
      for (const points of buffers) points.length = 0;
    }
    this.redraw();
  }

  /**
   * Live: every chart shows the same 5-minute window ending at the newest sample (in a
   * replay, at the replay clock); history: fit the data.
   */
  private liveEnd(): number | undefined {
    if (this.range() !== 'live') return undefined;
    if (this.source.mode === 'replay') return this.source.now();
    const lasts = [this.live.cpu, this.live.rx, ...this.live.requests.values()].map((p) => p[p.length - 1]?.x ?? 0);
    const end = Math.max(...lasts);
    return end > 0 ? end : undefined;
  }

  private redraw(): void {
    const end = this.liveEnd();
    for (const chart of [this.cpuChart, this.netChart, this.reqChart]) {
      if (!chart) continue;
      const x = chart.options.scales?.['x'];
      if (x) {
        x.min = end === undefined ? undefined : end - LIVE_WINDOW_MS;
        x.max = end;
      }
      chart.update('none');
    }
    this.cpuPoints.set(this.cpuChart?.data.datasets[0].data.length ?? this.live.cpu.length);
    this.networkPoints.set(this.netChart?.data.datasets[0].data.length ?? this.live.rx.length);
    this.requestPoints.set(this.reqChart?.data.datasets.reduce((n, d) => n + d.data.length, 0) ?? 0);
  }
}

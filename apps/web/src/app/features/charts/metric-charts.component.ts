import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { dashboardForEnvironment } from '@vigil/shared';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { injectReadOnlyReason } from '../../core/read-only';
import { ThemeService } from '../../core/theme.service';
import { axisColors } from './axis-colors';
import { cpuMemoryConfig, networkConfig, requestsConfig, seriesDataset } from './chart-options';
import { CHART_FACTORY, type ChartHandle } from './chart-setup';
import { chartSummary } from './chart-summary';
import { LiveSeries } from './live-series.service';
import { MetricHistoryService, type ChartHistory } from './metric-history.service';
import { LIVE_WINDOW_MS, RANGE_MS, alertMarks, deployMarks, markPoints, type ChartRange, type HistoryRange } from './series';

/**
 * Host CPU/memory, host network and per-service requests/s (of the header's environment).
 * Reads DASHBOARD_SOURCE: in a replay the window ends at the replay clock and no range
 * buttons are shown (history comes from the replay itself, not the API). Live: the last 5
 * minutes, the LiveSeries arrays plotted as they are appended to (`update('none')`, never
 * re-created). 1h / 24h / 7d: loaded by MetricHistoryService (avg line, min/max band for
 * CPU and memory). Alert raise/resolve times (red) and finished deploys (dashed green) are
 * marked on the CPU/memory chart.
 */
@Component({
  selector: 'vg-metric-charts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [LiveSeries],
  templateUrl: './metric-charts.component.html',
  styleUrl: './metric-charts.component.css',
})
export class MetricChartsComponent {
  private readonly source = inject(DASHBOARD_SOURCE);
  private readonly environments = inject(EnvironmentService);
  /** Range buttons are controls: none in a replay or a kiosk. */
  protected readonly readOnly = injectReadOnlyReason();
  private readonly state = computed(() => dashboardForEnvironment(this.source.state(), this.environments.selected()));
  private readonly live = inject(LiveSeries);
  private readonly history = inject(MetricHistoryService);
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
  /** The charts' text alternatives (latest values and ranges), kept with every redraw. */
  protected readonly cpuSummary = signal('CPU and memory percent: no data yet.');
  protected readonly networkSummary = signal('Network receive and send rate: no data yet.');
  protected readonly requestSummary = signal('Requests per second per service: no data yet.');

  private cpuChart: ChartHandle | null = null;
  private netChart: ChartHandle | null = null;
  private reqChart: ChartHandle | null = null;
  /** Counts history loads, so an answer for a range no longer shown is dropped. */
  private loadSeq = 0;

  private readonly alerts = computed(() => this.state().alerts);
  /** The deploys among the recent commands (a new array only when a deploy changed). */
  private readonly deploys = computed(() => this.state().commands.filter((command) => command.type === 'deploy'), {
    equal: (a, b) => a.length === b.length && a.every((command, i) => command === b[i]),
  });

  constructor() {
    // Fold every new sample into the live series (also before the charts exist).
    effect(() => {
      const metrics = this.state().metrics;
      const environment = this.environments.selected();
      untracked(() => {
        if (this.live.showEnvironment(environment)) {
          if (this.reqChart) this.reqChart.data.datasets.length = 0;
          this.redrawLive();
        }
        const { changed, newSeries } = this.live.ingest(metrics, this.source.now());
        if (!changed || this.range() !== 'live') return;
        if (newSeries) this.syncRequestDatasets();
        this.redraw();
      });
    });
    // A replay's window follows its clock (which also jumps back when seeking).
    if (this.source.mode === 'replay') {
      effect(() => {
        const now = this.source.now();
        untracked(() => {
          this.live.followClock(now);
          this.redraw();
        });
      });
    }
    effect(() => {
      const alerts = this.alerts();
      untracked(() => {
        this.live.markAlerts(alerts, this.source.now());
        this.redrawLive();
      });
    });
    effect(() => {
      const deploys = this.deploys();
      untracked(() => {
        this.live.markDeploys(deploys, this.source.now());
        this.redrawLive();
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
      for (const chart of this.charts()) chart.destroy();
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
      void this.showHistory(range);
    }
  }

  private charts(): ChartHandle[] {
    return [this.cpuChart, this.netChart, this.reqChart].filter((chart) => chart !== null);
  }

  private createCharts(): void {
    const range = () => this.range();
    this.cpuChart = this.factory(this.cpuCanvas().nativeElement, cpuMemoryConfig(this.live, range));
    this.netChart = this.factory(this.netCanvas().nativeElement, networkConfig(this.live, range));
    this.reqChart = this.factory(this.reqCanvas().nativeElement, requestsConfig(range));
    this.syncRequestDatasets();
    this.redraw();
  }

  /** One dataset per service, its data being the live series itself. */
  private syncRequestDatasets(): void {
    if (!this.reqChart) return;
    const datasets = this.reqChart.data.datasets;
    for (const [key, points] of this.live.requests) {
      const existing = datasets.find((dataset) => dataset.label === key);
      if (existing) existing.data = points;
      else datasets.push(seriesDataset(key, points, datasets.length));
    }
  }

  private showLive(): void {
    if (this.cpuChart) {
      const d = this.cpuChart.data.datasets;
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

  private async showHistory(range: HistoryRange): Promise<void> {
    const seq = ++this.loadSeq;
    this.loading.set(true);
    try {
      const history = await this.history.load(range, this.state().metrics);
      if (seq !== this.loadSeq) return; // superseded by another range (or live)
      this.plotHistory(history, range);
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.loadError.set(`history not loaded: ${errorMessage(error)}`);
    } finally {
      if (seq === this.loadSeq) this.loading.set(false);
    }
  }

  private plotHistory(history: ChartHistory, range: HistoryRange): void {
    if (this.cpuChart) {
      const d = this.cpuChart.data.datasets;
      d[0].data = history.cpu.avg;
      d[1].data = history.memory.avg;
      d[2].data = history.cpu.min;
      d[3].data = history.cpu.max;
      d[4].data = history.memory.min;
      d[5].data = history.memory.max;
      const last = Math.max(history.to, Date.now());
      d[6].data = markPoints(alertMarks(this.alerts(), last - RANGE_MS[range], last));
      d[7].data = markPoints(deployMarks(this.deploys(), last - RANGE_MS[range], last));
    }
    if (this.netChart) {
      this.netChart.data.datasets[0].data = history.rx;
      this.netChart.data.datasets[1].data = history.tx;
    }
    if (this.reqChart) {
      this.reqChart.data.datasets = history.requests.map((series, i) => seriesDataset(series.key, series.points, i));
    }
    this.redraw();
  }

  private applyThemeColors(): void {
    const { text, grid } = axisColors(getComputedStyle(this.host.nativeElement).color);
    for (const chart of this.charts()) {
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

  /** Redraws only while the live window is shown (a history view keeps its data). */
  private redrawLive(): void {
    if (this.range() === 'live') this.redraw();
  }

  /**
   * Live: every chart shows the same 5-minute window ending at the newest sample (in a
   * replay, at the replay clock); history: fit the data.
   */
  private liveEnd(): number | undefined {
    if (this.range() !== 'live') return undefined;
    return this.source.mode === 'replay' ? this.source.now() : this.live.newest();
  }

  private redraw(): void {
    const end = this.liveEnd();
    for (const chart of this.charts()) {
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
    const range = this.range();
    if (this.cpuChart) this.cpuSummary.set(chartSummary('CPU and memory percent', this.cpuChart.data.datasets, range));
    if (this.netChart) this.networkSummary.set(chartSummary('Network receive and send rate', this.netChart.data.datasets, range));
    if (this.reqChart) this.requestSummary.set(chartSummary('Requests per second per service', this.reqChart.data.datasets, range));
  }
}

/** An error's message (HttpErrorResponse is no Error, but has one), else the error as text. */
function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

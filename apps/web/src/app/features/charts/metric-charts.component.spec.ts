import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { initialDashboardState, type CommandView, type DashboardState, type HistoryResponse, type MetricSample } from '@vigil/shared';
import { DASHBOARD_SOURCE, type DashboardSource } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { CHART_FACTORY, type ChartHandle, type LineConfig } from './chart-setup';
import { MetricChartsComponent } from './metric-charts.component';

interface FakeChart extends ChartHandle {
  canvas: HTMLCanvasElement;
  updates: (string | undefined)[];
}

const T0 = Date.parse('2026-11-27T02:00:00.000Z');

function host(at: number, cpu: number): MetricSample {
  return {
    source: 'host',
    time: new Date(at).toISOString(),
    values: {
      cpu_percent: cpu,
      memory_percent: 50,
      'net.eth0.rx_bytes_per_s': 10,
      'net.lo.rx_bytes_per_s': 99,
      'net.eth0.tx_bytes_per_s': 5,
    },
  };
}

describe('MetricChartsComponent', () => {
  let fixture: ComponentFixture<MetricChartsComponent>;
  let charts: FakeChart[];
  let state: ReturnType<typeof signal<DashboardState>>;
  let now: ReturnType<typeof signal<number>>;
  /** The header's environment choice (EnvironmentService.selected). */
  let selected: ReturnType<typeof signal<string | undefined>>;
  let http: HttpTestingController;

  function push(...samples: MetricSample[]): void {
    state.update((s) => {
      const metrics = { ...s.metrics };
      for (const sample of samples) metrics[`${sample.environment ?? '*'}/${sample.source}`] = sample;
      return { ...s, metrics };
    });
  }

  const cpuData = () => charts[0].data.datasets[0].data;
  const attr = (id: string) => (fixture.nativeElement as HTMLElement).querySelector(`[data-testid=${id}]`)?.getAttribute('data-points');

  async function setUp(mode: DashboardSource['mode']): Promise<void> {
    charts = [];
    state = signal<DashboardState>(initialDashboardState());
    now = signal(T0);
    selected = signal<string | undefined>(undefined);
    TestBed.configureTestingModule({
      imports: [MetricChartsComponent],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: EnvironmentService, useValue: { selected: selected.asReadonly() } },
        {
          provide: DASHBOARD_SOURCE,
          useValue: { mode, state: state.asReadonly(), now: now.asReadonly(), snapshots: signal(0) } satisfies DashboardSource,
        },
        {
          provide: CHART_FACTORY,
          useValue: (canvas: HTMLCanvasElement, config: LineConfig): ChartHandle => {
            const chart: FakeChart = {
              canvas,
              data: config.data,
              options: config.options ?? {},
              updates: [],
              update(mode) {
                chart.updates.push(mode);
              },
              destroy: () => undefined,
            };
            charts.push(chart);
            return chart;
          },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(MetricChartsComponent);
    await fixture.whenStable();
  }

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
  });

  describe('live', () => {
    beforeEach(() => setUp('live'));

    it('creates the three charts once, animation off, parsing off, decimation on, linear x axis', () => {
      expect(charts).toHaveLength(3);
      expect(charts.map((c) => c.canvas.tagName)).toEqual(['CANVAS', 'CANVAS', 'CANVAS']);
      for (const chart of charts) {
        expect(chart.options.animation).toBe(false);
        expect(chart.options.parsing).toBe(false);
        expect(chart.options.plugins?.decimation?.enabled).toBe(true);
        expect((chart.options.scales?.['x'] as { type: string }).type).toBe('linear');
      }
      expect(attr('chart-cpu-memory')).toBe('0');
    });

    it('appends live samples to the same arrays without re-creating the charts', async () => {
      const before = cpuData();
      push(host(T0, 10));
      await fixture.whenStable();
      push(host(T0 + 1000, 20));
      await fixture.whenStable();
      push(host(T0 + 1000, 20)); // same sample again: no duplicate
      await fixture.whenStable();
      expect(charts).toHaveLength(3);
      expect(cpuData()).toBe(before);
      expect(cpuData()).toEqual([
        { x: T0, y: 10 },
        { x: T0 + 1000, y: 20 },
      ]);
      expect(charts[0].updates).toContain('none');
      expect(charts[0].updates.every((m) => m === 'none')).toBe(true);
      expect(charts[1].data.datasets[0].data).toEqual([
        { x: T0, y: 10 },
        { x: T0 + 1000, y: 10 },
      ]); // lo left out
      expect(attr('chart-cpu-memory')).toBe('2');
      expect(charts[0].options.scales?.['x']).toMatchObject({ min: T0 + 1000 - 5 * 60_000, max: T0 + 1000 });
    });

    it('marks a finished deploy on the CPU/memory chart as it happens', async () => {
      push(host(T0, 10));
      await fixture.whenStable();
      const marks = charts[0].data.datasets.find((d) => d.label === 'Deploys');
      expect(marks?.data).toEqual([]);
      const accepted: CommandView = {
        commandId: 'c-1',
        type: 'deploy',
        target: 'web',
        environment: 'staging',
        params: {},
        state: 'running',
        acceptedAt: new Date(T0).toISOString(),
        acceptedPosition: 1,
        output: [],
        position: 2,
      };
      state.update((s) => ({ ...s, commands: [accepted] }));
      await fixture.whenStable();
      expect(marks?.data).toEqual([]);
      const done: CommandView = { ...accepted, state: 'completed', finishedAt: new Date(T0 + 500).toISOString(), position: 3 };
      state.update((s) => ({ ...s, commands: [done] }));
      await fixture.whenStable();
      expect(marks?.data).toEqual([{ x: T0 + 500, y: 50 }]);
    });

    it('keeps only the last 5 minutes', async () => {
      for (let s = 0; s <= 600; s += 60) {
        push(host(T0 + s * 1000, s / 10));
        await fixture.whenStable();
      }
      expect(cpuData()[0].x).toBe(T0 + 300_000);
      expect(cpuData()).toHaveLength(6);
    });

    it('plots requests/s per service', async () => {
      push(host(T0, 1), {
        environment: 'staging',
        source: 'web',
        time: new Date(T0).toISOString(),
        values: { 'demo_requests_total_per_s{code="200"}': 3, 'demo_requests_total_per_s{code="500"}': 1 },
      });
      await fixture.whenStable();
      const datasets = charts[2].data.datasets;
      expect(datasets.map((d) => d.label)).toEqual(['staging/web']);
      expect(datasets[0].data).toEqual([{ x: T0, y: 4 }]);
      expect(attr('chart-requests')).toBe('1');
    });

    it('loads a history range and goes back to live', async () => {
      push(host(T0, 10));
      await fixture.whenStable();
      const live = cpuData();
      (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('[data-testid=range-1h]')!.click();
      const answer = (metric: string, points: HistoryResponse['points']): HistoryResponse => ({
        metric,
        source: 'host',
        tier: '1m',
        step: 60,
        from: T0 - 3_600_000,
        to: T0,
        points,
      });
      http
        .expectOne((r) => r.url === '/api/metrics/history' && r.params.get('metric') === 'cpu_percent' && r.params.get('duration') === '1h')
        .flush(answer('cpu_percent', [[T0 - 60_000, 30, 20, 40]]));
      http.expectOne((r) => r.params.get('metric') === 'memory_percent').flush(answer('memory_percent', [[T0 - 60_000, 50, 50, 50]]));
      http.expectOne((r) => r.params.get('metric') === 'net.eth0.rx_bytes_per_s').flush(answer('x', [[T0 - 60_000, 7, 7, 7]]));
      http.expectOne((r) => r.params.get('metric') === 'net.eth0.tx_bytes_per_s').flush(answer('x', [[T0 - 60_000, 8, 8, 8]]));
      await fixture.whenStable();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(charts).toHaveLength(3);
      expect(cpuData()).toEqual([{ x: T0 - 60_000, y: 30 }]);
      expect(charts[0].data.datasets[3].data).toEqual([{ x: T0 - 60_000, y: 40 }]);
      expect(charts[1].data.datasets[0].data).toEqual([{ x: T0 - 60_000, y: 7 }]);
      expect(charts[0].options.scales?.['x']).toMatchObject({ min: undefined, max: undefined });
      // Live samples keep being collected but do not disturb the history view.
      push(host(T0 + 1000, 11));
      await fixture.whenStable();
      expect(cpuData()).toHaveLength(1);
      (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('[data-testid=range-live]')!.click();
      await fixture.whenStable();
      expect(cpuData()).toBe(live);
      expect(cpuData()).toHaveLength(2);
    });
    it('plots only the services of the environment chosen in the header', async () => {
      const at = (environment: string, value: number) => ({
        environment,
        source: 'web',
        time: new Date(T0).toISOString(),
        values: { 'demo_requests_total_per_s{code="200"}': value },
      });
      push(host(T0, 1), at('staging', 3), at('production', 5));
      await fixture.whenStable();
      expect(charts[2].data.datasets.map((d) => d.label)).toEqual(['production/web', 'staging/web']);
      selected.set('staging');
      await fixture.whenStable();
      push({ ...at('staging', 4), time: new Date(T0 + 1000).toISOString() }, host(T0 + 1000, 2));
      await fixture.whenStable();
      expect(charts[2].data.datasets.map((d) => d.label)).toEqual(['staging/web']);
      expect(charts[2].data.datasets[0].data).toEqual([
        { x: T0, y: 3 },
        { x: T0 + 1000, y: 4 },
      ]);
    });
  });

  describe('replay', () => {
    beforeEach(() => setUp('replay'));

    it('shows no range buttons and ends the window at the replay clock, fed by state changes', async () => {
      const root = fixture.nativeElement as HTMLElement;
      expect(root.querySelector('[data-testid=range-live]')).toBeNull();
      expect(root.querySelectorAll('button')).toHaveLength(0);
      push(host(T0 - 2000, 10));
      now.set(T0 - 1000);
      await fixture.whenStable();
      push(host(T0 - 1000, 20));
      now.set(T0);
      await fixture.whenStable();
      expect(cpuData()).toEqual([
        { x: T0 - 2000, y: 10 },
        { x: T0 - 1000, y: 20 },
      ]);
      expect(charts[0].options.scales?.['x']).toMatchObject({ min: T0 - 5 * 60_000, max: T0 });
      now.set(T0 + 30_000); // the clock moves on without a sample: the window follows it
      await fixture.whenStable();
      expect(charts[0].options.scales?.['x']).toMatchObject({ min: T0 + 30_000 - 5 * 60_000, max: T0 + 30_000 });
    });

    it('starts over when the replay seeks back', async () => {
      push(host(T0, 10));
      await fixture.whenStable();
      expect(cpuData()).toHaveLength(1);
      now.set(T0 - 60_000);
      await fixture.whenStable();
      expect(cpuData()).toEqual([]);
      push(host(T0 - 59_000, 30));
      await fixture.whenStable();
      expect(cpuData()).toEqual([{ x: T0 - 59_000, y: 30 }]);
    });
  });
});

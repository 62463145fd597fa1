import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import {
  CSRF_HEADER,
  initialDashboardState,
  type AlertRule,
  type DashboardState,
  type MetricSample,
  type ServiceView,
  type SessionUser,
} from '@vigil/shared';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { accepted, completed, snapshot, started } from '../../../testing/events';
import { ADMIN, VIEWER, loginResponse } from '../../../testing/users';
import { thresholdRule } from '../../../testing/alert-rules';
import { ALERT_RULES_URL } from '../../core/alert-rules.service';
import { csrfInterceptor } from '../../core/csrf.interceptor';
import { DASHBOARD_SOURCE, type DashboardSource } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { KioskService } from '../../core/kiosk.service';
import { SessionService } from '../../core/session.service';
import { StreamService } from '../../core/stream.service';
import { AlertsPanelComponent } from '../alerts/alerts-panel.component';
import { DashboardViewComponent } from './dashboard-view.component';
import { queryAllIn, queryIn } from '../../../testing/dom';

/** Stands in for the alerts panel (another feature, with its own tests and requests). */
@Component({
  selector: 'vg-alerts-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p data-testid="alerts-panel-stub"></p>`,
})
class AlertsPanelStubComponent {}

const CPU_RULE = thresholdRule({ name: 'host-cpu-high', forSeconds: 60 });

function service(environment: string, name: string, pid: number): ServiceView {
  return {
    environment,
    service: name,
    version: '1.4.2',
    desiredInstances: 2,
    instances: [{ index: 0, pid, port: 3100, state: 'running', startedAt: '2026-01-01T11:00:00.000Z', restarts: 3 }],
    restarts: 3,
    position: 1,
  };
}

const hostSample = (time: string, cpu: number, extra: Partial<MetricSample> = {}) => ({
  type: 'metrics' as const,
  source: 'host',
  time,
  values: {
    cpu_percent: cpu,
    memory_percent: 25,
    'memory.used_bytes': 1024 ** 3,
    'memory.total_bytes': 4 * 1024 ** 3,
    'net.eth0.rx_bytes_per_s': 2048,
    'net.lo.rx_bytes_per_s': 1e9,
  },
  ...extra,
});

describe('DashboardViewComponent', () => {
  let fixture: ComponentFixture<DashboardViewComponent>;
  let http: HttpTestingController;
  const original = (globalThis as { EventSource?: unknown }).EventSource;

  const q = (selector: string) => queryIn(fixture, selector);
  const qa = (selector: string) => queryAllIn(fixture, selector);
  const text = (selector: string) => q(selector)?.textContent.replace(/\s+/g, ' ').trim();

  function configure(providers: unknown[] = []): void {
    TestBed.configureTestingModule({
      imports: [DashboardViewComponent],
      providers: [
        provideHttpClient(withInterceptors([csrfInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        ...(providers as never[]),
      ],
    });
    TestBed.overrideComponent(DashboardViewComponent, {
      remove: { imports: [AlertsPanelComponent] },
      add: { imports: [AlertsPanelStubComponent] },
    });
    http = TestBed.inject(HttpTestingController);
  }

  async function signIn(user: SessionUser): Promise<void> {
    const done = TestBed.inject(SessionService).login(user.username, 'pw');
    http.expectOne('/api/auth/login').flush(loginResponse(user));
    await done;
  }

  /** The alert-rules request: for now, or `?at=` a replay clock (epoch ms). */
  const rulesRequest = (at?: number) =>
    http.expectOne(
      (request) => request.url === ALERT_RULES_URL && request.params.get('at') === (at === undefined ? null : new Date(at).toISOString()),
    );

  /** Renders the view and answers its alert-rules request. */
  async function render(rules: AlertRule[] = [CPU_RULE], at?: number): Promise<void> {
    fixture = TestBed.createComponent(DashboardViewComponent);
    await fixture.whenStable();
    rulesRequest(at).flush({ rules });
    await fixture.whenStable();
  }

  beforeEach(() => {
    FakeEventSource.reset();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
  });

  afterEach(() => {
    http.verify();
    TestBed.inject(StreamService).disconnect();
    TestBed.resetTestingModule();
    (globalThis as { EventSource?: unknown }).EventSource = original;
  });

  describe('live', () => {
    beforeEach(() => {
      configure();
    });

    async function renderLive(user: SessionUser = ADMIN, rules?: AlertRule[]): Promise<FakeEventSource> {
      await signIn(user);
      TestBed.inject(StreamService).connect();
      await render(rules);
      const source = FakeEventSource.latest;
      source.open();
      return source;
    }

    it('shows the log position, the command activity and the latest events', async () => {
      const source = await renderLive();
      source.emit(snapshot(initialDashboardState()));
      source.emit(accepted(1, 'cmd-1'), 1);
      source.emit(started(2, 'cmd-1'), 2);
      source.emit(completed(3, 'cmd-1'), 3);
      await fixture.whenStable();

      expect(text('[data-testid=log-position]')).toBe('3');
      const events = qa('[data-testid=event-row]');
      expect(events).toHaveLength(3);
      expect(events[0]?.textContent).toContain('command.completed');
      expect(events[0]?.textContent).toContain('command-cmd-1');
      const rows = qa('[data-testid=activity-row]');
      expect(rows).toHaveLength(1);
      expect(rows[0]?.getAttribute('data-command-id')).toBe('cmd-1');
      expect(rows[0]?.getAttribute('data-state')).toBe('completed');
      for (const part of ['ping', 'vigil', 'staging', 'completed', '5 ms']) expect(rows[0]?.textContent).toContain(part);
    });

    it('shows live metric cards with their rule-given level, and the services table', async () => {
      const source = await renderLive();
      expect(text('[data-testid=metric-cpu] [data-testid=metric-value]')).toBe('—');
      expect(q('[data-testid=host-metrics]')?.getAttribute('data-sample-time')).toBeNull();

      source.emit(snapshot({ ...initialDashboardState(), services: { 'staging/web': service('staging', 'web', 4242) } }));
      source.emit(hostSample('2026-01-01T12:00:01.000Z', 12.5));
      await fixture.whenStable();

      expect(q('[data-testid=host-metrics]')?.getAttribute('data-sample-time')).toBe('2026-01-01T12:00:01.000Z');
      expect(text('[data-testid=metric-cpu] [data-testid=metric-value]')).toBe('12.5 %');
      expect(q('[data-testid=metric-cpu]')?.getAttribute('data-state')).toBe('normal');
      expect(text('[data-testid=metric-cpu] [data-testid=metric-state]')).toBe('normal');
      expect(text('[data-testid=metric-memory-used]')).toBe('1.0 GiB / 4.0 GiB');
      expect(text('[data-testid=metric-network]')).toContain('2.0 KiB/s');

      source.emit(hostSample('2026-01-01T12:00:02.000Z', 95, { error: 'collector timed out' }));
      await fixture.whenStable();
      expect(text('[data-testid=metric-cpu] [data-testid=metric-value]')).toBe('95.0 %');
      // Over the rule's 90 %: warning, in colour (data-state) and in words.
      expect(q('[data-testid=metric-cpu]')?.getAttribute('data-state')).toBe('warning');
      expect(text('[data-testid=metric-cpu] [data-testid=metric-state]')).toBe('warning');
      expect(text('[data-testid=host-metrics-error]')).toContain('collector timed out');

      const rows = qa('[data-testid=service-row]');
      expect(rows).toHaveLength(1);
      for (const part of ['staging', 'web', 'degraded', '1.4.2', '1/2', '3']) expect(rows[0]?.textContent).toContain(part);
      // One card group per environment in the state.
      expect(qa('[data-testid=environment-metrics]').map((g) => g.getAttribute('data-environment'))).toEqual(['staging']);
    });

    it('loads the alert rules again when a rule changes', async () => {
      const source = await renderLive(ADMIN, []);
      source.emit(hostSample('2026-01-01T12:00:01.000Z', 95));
      await fixture.whenStable();
      expect(q('[data-testid=metric-cpu]')?.getAttribute('data-state')).toBe('normal');
      source.emit(
        {
          position: 7,
          stream: 'alert-rules',
          version: 1,
          type: 'alert-rule.changed',
          data: { name: CPU_RULE.name, rule: CPU_RULE, change: 'created' },
          meta: { correlationId: 'c' },
          time: '2026-01-01T12:00:02.000Z',
          hash: 'h7',
        },
        7,
      );
      await fixture.whenStable();
      http.expectOne(ALERT_RULES_URL).flush({ rules: [CPU_RULE] });
      await fixture.whenStable();
      expect(q('[data-testid=metric-cpu]')?.getAttribute('data-state')).toBe('warning');
    });

    it('filters everything by the environment chosen in the header', async () => {
      const source = await renderLive();
      const environments = TestBed.inject(EnvironmentService);
      environments.setKnown(['production', 'staging']);
      source.emit(
        snapshot({
          ...initialDashboardState(),
          services: { 'staging/web': service('staging', 'web', 1), 'production/web': service('production', 'web', 2) },
          metrics: {
            'production/web': {
              environment: 'production',
              source: 'web',
              time: '2026-01-01T12:00:00.000Z',
              values: { 'demo_requests_total_per_s{code="200"}': 7 },
            },
            'staging/web': {
              environment: 'staging',
              source: 'web',
              time: '2026-01-01T12:00:00.000Z',
              values: { 'demo_requests_total_per_s{code="200"}': 3 },
            },
          },
        }),
      );
      await fixture.whenStable();
      expect(qa('[data-testid=service-row]').map((r) => r.getAttribute('data-environment'))).toEqual(['production', 'staging']);
      expect(qa('[data-testid=environment-metrics]').map((g) => g.getAttribute('data-environment'))).toEqual(['production', 'staging']);

      environments.select('staging');
      await fixture.whenStable();
      expect(qa('[data-testid=service-row]').map((r) => r.getAttribute('data-environment'))).toEqual(['staging']);
      expect(qa('[data-testid=environment-metrics]').map((g) => g.getAttribute('data-environment'))).toEqual(['staging']);
      expect(text('[data-testid=environment-metrics] [data-testid=metric-requests] [data-testid=metric-value]')).toBe('3.0/s');
      expect(text('[data-testid=dashboard-scope]')).toBe('staging');
    });

    it('POSTs a ping and reports the command id', async () => {
      await renderLive();
      const button = q('[data-testid=ping-button]') as HTMLButtonElement;
      button.click();
      await fixture.whenStable();
      expect(button.getAttribute('aria-disabled')).toBe('true');
      button.click(); // ignored while sending: still one request

      const request = http.expectOne('/api/commands');
      expect(request.request.method).toBe('POST');
      expect(request.request.headers.get(CSRF_HEADER)).toBe('csrf-1');
      expect(request.request.body).toEqual({ type: 'ping', target: 'vigil', environment: 'staging', params: {} });
      request.flush({ commandId: 'cmd-9', position: 9 }, { status: 202, statusText: 'Accepted' });
      await fixture.whenStable();

      expect(button.getAttribute('aria-disabled')).toBeNull();
      expect(text('[data-testid=send-feedback]')).toContain('cmd-9');
    });

    it('shows a refused ping', async () => {
      await renderLive();
      (q('[data-testid=ping-button]') as HTMLButtonElement).click();
      http
        .expectOne('/api/commands')
        .flush({ statusCode: 403, error: 'Forbidden', message: 'not allowed' }, { status: 403, statusText: 'Forbidden' });
      await fixture.whenStable();
      expect(text('[data-testid=send-feedback]')).toContain('403 Forbidden: not allowed');
    });

    it('replaces the ping button with the reason when the role may not ping', async () => {
      await renderLive(VIEWER);
      expect(q('[data-testid=ping-button]')).toBeNull();
      const note = q('[data-testid=ping-denied]');
      expect(note?.getAttribute('title')).toBe('role "viewer" may not run ping on vigil in staging');
      expect(note?.textContent).toContain('not permitted');
    });
  });

  describe('read-only', () => {
    const T = Date.parse('2026-01-01T12:30:00.000Z');
    const replayState: DashboardState = {
      ...initialDashboardState(),
      position: 42,
      services: { 'production/api': service('production', 'api', 77) },
      metrics: {
        '*/host': { source: 'host', time: '2026-01-01T12:29:59.000Z', values: { cpu_percent: 97.5 } },
        'production/api': {
          environment: 'production',
          source: 'api',
          time: '2026-01-01T12:29:59.000Z',
          values: { demo_active_connections: 12 },
        },
      },
    };

    /** Buttons that would do something (the activity feed's "Show output" only reveals what is there). */
    const actingButtons = () => qa('button').filter((b) => b.getAttribute('data-testid') !== 'toggle-output');

    it('renders a provided replay source: its state, its clock, and no control', async () => {
      const source: DashboardSource = { mode: 'replay', state: signal(replayState), now: signal(T), snapshots: signal(1) };
      configure([{ provide: DASHBOARD_SOURCE, useValue: source }]);
      await signIn(ADMIN);
      await render([CPU_RULE], T);
      await new Promise((resolve) => setTimeout(resolve, 0)); // let @defer (on idle) render the charts
      await fixture.whenStable();

      expect(q('[data-testid=dashboard-view]')?.getAttribute('data-mode')).toBe('replay');
      expect(text('[data-testid=log-position]')).toBe('42');
      expect(text('[data-testid=replay-badge]')).toContain('Replay');
      expect(q('[data-testid=replay-badge] time')?.getAttribute('datetime')).toBe(String(T));
      expect(text('[data-testid=metric-cpu] [data-testid=metric-value]')).toBe('97.5 %');
      expect(q('[data-testid=metric-cpu]')?.getAttribute('data-state')).toBe('warning');
      expect(text('[data-testid=environment-metrics] [data-testid=metric-connections] [data-testid=metric-value]')).toBe('12');
      expect(qa('[data-testid=service-row]').map((r) => r.getAttribute('data-service'))).toEqual(['production/api']);

      expect(q('[data-testid=ping-button]')).toBeNull();
      expect(q('[data-testid=ping-denied]')).toBeNull();
      expect(q('[data-testid=send-feedback]')).toBeNull();
      expect(q('[data-testid=metric-charts]')).not.toBeNull();
      expect(q('[data-testid=range-1h]')).toBeNull();
      expect(actingButtons()).toEqual([]);
      expect(qa('input, select, textarea')).toEqual([]);
    });

    it('judges a replay by the rules at its clock: asked again after each snapshot and each replayed rule change', async () => {
      const state = signal<DashboardState>(replayState);
      const now = signal(T);
      const snapshots = signal(0);
      configure([{ provide: DASHBOARD_SOURCE, useValue: { mode: 'replay', state, now, snapshots } satisfies DashboardSource }]);
      await signIn(ADMIN);
      fixture = TestBed.createComponent(DashboardViewComponent);
      await fixture.whenStable();
      http.expectNone(() => true); // no snapshot yet: nothing to judge

      snapshots.set(1);
      await fixture.whenStable();
      rulesRequest(T).flush({ rules: [] });
      await fixture.whenStable();
      expect(q('[data-testid=metric-cpu]')?.getAttribute('data-state')).toBe('normal');

      // A rule change replayed a minute later: the rules as of then.
      const changedAt = T + 60_000;
      now.set(changedAt);
      state.update((current) => ({
        ...current,
        recentEvents: [
          ...current.recentEvents,
          {
            position: 43,
            stream: 'alert-rules',
            type: 'alert-rule.changed',
            time: new Date(changedAt).toISOString(),
          },
        ],
      }));
      await fixture.whenStable();
      rulesRequest(changedAt).flush({ rules: [CPU_RULE] });
      await fixture.whenStable();
      expect(q('[data-testid=metric-cpu]')?.getAttribute('data-state')).toBe('warning');

      // A seek back: a new snapshot, the rules at the new clock.
      now.set(T - 300_000);
      snapshots.set(2);
      state.set(replayState);
      await fixture.whenStable();
      rulesRequest(T - 300_000).flush({ rules: [] });
      await fixture.whenStable();
      expect(q('[data-testid=metric-cpu]')?.getAttribute('data-state')).toBe('normal');
    });

    it('shows no control in kiosk mode either', async () => {
      configure([{ provide: KioskService, useValue: { active: signal(true) } }]);
      await signIn(ADMIN);
      TestBed.inject(StreamService).connect();
      await render();
      FakeEventSource.latest.open();
      FakeEventSource.latest.emit(snapshot(replayState));
      FakeEventSource.latest.emit(accepted(43, 'cmd-k'), 43);
      await new Promise((resolve) => setTimeout(resolve, 0));
      await fixture.whenStable();
      expect(q('[data-testid=dashboard-view]')?.getAttribute('data-mode')).toBe('live');
      expect(text('[data-testid=log-position]')).toBe('43');
      expect(qa('[data-testid=activity-row]')).toHaveLength(1);
      expect(q('[data-testid=ping-button]')).toBeNull();
      expect(q('[data-testid=range-live]')).toBeNull();
      // Not even "Show output": nobody clicks a wall display.
      expect(qa('button')).toEqual([]);
    });
  });
});

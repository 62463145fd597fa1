import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { CSRF_HEADER, initialDashboardState, type SessionUser } from '@vigil/shared';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { accepted, completed, snapshot, started } from '../../../testing/events';
import { ADMIN, VIEWER, loginResponse } from '../../../testing/users';
import { SessionService } from '../../core/session.service';
import { csrfInterceptor } from '../../core/csrf.interceptor';
import { StreamService } from '../../core/stream.service';
import { ShellComponent } from './shell.component';

describe('ShellComponent', () => {
  let fixture: ComponentFixture<ShellComponent>;
  let http: HttpTestingController;
  const original = (globalThis as { EventSource?: unknown }).EventSource;

  const q = (selector: string) => fixture.nativeElement.querySelector(selector) as HTMLElement | null;
  const qa = (selector: string) => Array.from(fixture.nativeElement.querySelectorAll(selector)) as HTMLElement[];

  /** Signs in as `user` (through the real service) and renders the shell with the stream open, as the app does. */
  async function render(user: SessionUser): Promise<void> {
    const session = TestBed.inject(SessionService);
    const done = session.login(user.username, 'pw');
    http.expectOne('/api/auth/login').flush(loginResponse(user));
    await done;
    TestBed.inject(StreamService).connect();
    fixture = TestBed.createComponent(ShellComponent);
    await fixture.whenStable();
  }

  beforeEach(async () => {
    FakeEventSource.reset();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [provideHttpClient(withInterceptors([csrfInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    TestBed.inject(StreamService).disconnect();
    TestBed.resetTestingModule();
    (globalThis as { EventSource?: unknown }).EventSource = original;
  });

  it('shows the connection status, position, events and commands', async () => {
    await render(ADMIN);
    expect(q('[data-testid=connection-status]')?.textContent?.trim()).toBe('connecting');
    const source = FakeEventSource.latest;
    source.open();
    source.emit(snapshot(initialDashboardState()));
    source.emit(accepted(1, 'cmd-1'), 1);
    source.emit(started(2, 'cmd-1'), 2);
    source.emit(completed(3, 'cmd-1'), 3);
    await fixture.whenStable();

    expect(q('[data-testid=connection-status]')?.textContent?.trim()).toBe('connected');
    expect(q('[data-testid=log-position]')?.textContent?.trim()).toBe('3');
    const events = qa('[data-testid=event-row]');
    expect(events).toHaveLength(3);
    expect(events[0]?.textContent).toContain('command.completed');
    expect(events[0]?.textContent).toContain('command-cmd-1');
    const rows = qa('[data-testid=command-row]');
    expect(rows).toHaveLength(1);
    for (const text of ['ping', 'vigil', 'staging', 'completed', 'cmd-1']) expect(rows[0]?.textContent).toContain(text);
  });

  it('shows live host metrics and the services table', async () => {
    await render(ADMIN);
    const source = FakeEventSource.latest;
    source.open();
    expect(q('[data-testid=metric-cpu]')?.textContent).toContain('—');
    expect(q('[data-testid=host-metrics]')?.getAttribute('data-sample-time')).toBeNull();

    source.emit(
      snapshot({
        ...initialDashboardState(),
        services: {
          'staging/web': {
            environment: 'staging',
            service: 'web',
            version: '1.4.2',
            desiredInstances: 2,
            instances: [{ index: 0, pid: 4242, port: 3100, state: 'running', startedAt: 't', restarts: 3 }],
            restarts: 3,
            position: 1,
          },
        },
      }),
    );
    const sample = (time: string, cpu: number, extra: Record<string, unknown> = {}) => ({
      type: 'metrics',
      source: 'host',
      time,
      values: { cpu_percent: cpu, memory_percent: 25, 'memory.used_bytes': 1024 ** 3, 'memory.total_bytes': 4 * 1024 ** 3, 'net.eth0.rx_bytes_per_s': 2048, 'net.lo.rx_bytes_per_s': 1e9 },
      ...extra,
    });
    source.emit(sample('2026-01-01T12:00:01.000Z', 12.5));
    await fixture.whenStable();

    expect(q('[data-testid=host-metrics]')?.getAttribute('data-sample-time')).toBe('2026-01-01T12:00:01.000Z');
    expect(q('[data-testid=metric-cpu]')?.textContent).toContain('12.5 %');
    expect(q('[data-testid=metric-memory]')?.textContent).toContain('1.0 GiB / 4.0 GiB');
    expect(q('[data-testid=metric-network]')?.textContent).toContain('2.0 KiB/s');
    expect(q('[data-testid=host-metrics-error]')).toBeNull();

    source.emit(sample('2026-01-01T12:00:02.000Z', 80, { error: 'collector timed out' }));
    await fixture.whenStable();
    expect(q('[data-testid=host-metrics]')?.getAttribute('data-sample-time')).toBe('2026-01-01T12:00:02.000Z');
    expect(q('[data-testid=metric-cpu]')?.textContent).toContain('80.0 %');
    expect(q('[data-testid=host-metrics-error]')?.textContent).toContain('collector timed out');

    const rows = qa('[data-testid=service-row]');
    expect(rows).toHaveLength(1);
    for (const text of ['staging', 'web', 'degraded', '1.4.2', '1/2', '4242', '3']) expect(rows[0]?.textContent).toContain(text);
  });

  it('shows the countdown while reconnecting', async () => {
    await render(ADMIN);
    FakeEventSource.latest.fail();
    await fixture.whenStable();
    expect(q('[data-testid=connection-status]')?.textContent?.trim()).toBe('reconnecting');
    expect(q('[data-testid=reconnect-countdown]')?.textContent).toContain('1s');
  });

  it('POSTs a ping and reports the command id', async () => {
    await render(ADMIN);
    const button = q('[data-testid=ping-button]') as HTMLButtonElement;
    button.click();
    await fixture.whenStable();
    expect(button.getAttribute('aria-disabled')).toBe('true');
    button.click(); // ignored while sending: still one request

    const request = http.expectOne('/api/commands');
    expect(request.request.method).toBe('POST');
    expect(request.request.headers.get('Content-Type')).toBe('application/json');
    expect(request.request.headers.get(CSRF_HEADER)).toBe('csrf-1');
    expect(request.request.body).toEqual({ type: 'ping', target: 'vigil', environment: 'staging', params: {} });
    request.flush({ commandId: 'cmd-9', position: 9 }, { status: 202, statusText: 'Accepted' });
    await fixture.whenStable();

    expect(button.getAttribute('aria-disabled')).toBeNull();
    expect(q('[data-testid=send-feedback]')?.textContent).toContain('cmd-9');
  });

  it('shows a refused ping', async () => {
    await render(ADMIN);
    (q('[data-testid=ping-button]') as HTMLButtonElement).click();
    http
      .expectOne('/api/commands')
      .flush({ statusCode: 403, error: 'Forbidden', message: 'not allowed' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    expect(q('[data-testid=send-feedback]')?.textContent).toContain('403 Forbidden: not allowed');
  });

  it('shows who is signed in', async () => {
    await render(ADMIN);
    const who = q('[data-testid=current-user]')?.textContent ?? '';
    expect(who).toContain('admin');
    expect(q('[data-testid=current-user] .role')?.textContent?.trim()).toBe('admin');
  });

  it('replaces the ping button with a note when the role may not ping', async () => {
    await render(VIEWER);
    expect(q('[data-testid=ping-button]')).toBeNull();
    const note = q('[data-testid=ping-denied]');
    expect(note?.getAttribute('title')).toBe('role "viewer" may not run ping on vigil in staging');
    expect(note?.textContent).toContain('not permitted');
    expect(q('[data-testid=current-user]')?.textContent).toContain('viewer');
  });

  it('signs out', async () => {
    await render(ADMIN);
    const router = TestBed.inject(Router);
    jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    (q('[data-testid=logout-button]') as HTMLButtonElement).click();
    const request = http.expectOne('/api/auth/logout');
    expect(request.request.headers.get(CSRF_HEADER)).toBe('csrf-1');
    expect(TestBed.inject(SessionService).status()).toBe('signed-out');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    await Promise.resolve();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/login');
  });
});

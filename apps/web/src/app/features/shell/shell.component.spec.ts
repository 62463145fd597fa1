import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { initialDashboardState } from '@vigil/shared';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { accepted, completed, snapshot, started } from '../../../testing/events';
import { StreamService } from '../../core/stream.service';
import { ShellComponent } from './shell.component';

describe('ShellComponent', () => {
  let fixture: ComponentFixture<ShellComponent>;
  let http: HttpTestingController;
  const original = (globalThis as { EventSource?: unknown }).EventSource;

  const q = (selector: string) => fixture.nativeElement.querySelector(selector) as HTMLElement | null;
  const qa = (selector: string) => Array.from(fixture.nativeElement.querySelectorAll(selector)) as HTMLElement[];

  beforeEach(async () => {
    FakeEventSource.reset();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    fixture = TestBed.createComponent(ShellComponent);
    http = TestBed.inject(HttpTestingController);
    await fixture.whenStable();
  });

  afterEach(() => {
    http.verify();
    TestBed.inject(StreamService).disconnect();
    TestBed.resetTestingModule();
    (globalThis as { EventSource?: unknown }).EventSource = original;
  });

  it('shows the connection status, position, events and commands', async () => {
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

  it('shows the countdown while reconnecting', async () => {
    FakeEventSource.latest.fail();
    await fixture.whenStable();
    expect(q('[data-testid=connection-status]')?.textContent?.trim()).toBe('reconnecting');
    expect(q('[data-testid=reconnect-countdown]')?.textContent).toContain('1s');
  });

  it('POSTs a ping and reports the command id', async () => {
    const button = q('[data-testid=ping-button]') as HTMLButtonElement;
    button.click();
    await fixture.whenStable();
    expect(button.getAttribute('aria-disabled')).toBe('true');
    button.click(); // ignored while sending: still one request

    const request = http.expectOne('/api/commands');
    expect(request.request.method).toBe('POST');
    expect(request.request.headers.get('Content-Type')).toBe('application/json');
    expect(request.request.body).toEqual({ type: 'ping', target: 'vigil', environment: 'staging', params: {} });
    request.flush({ commandId: 'cmd-9', position: 9 }, { status: 202, statusText: 'Accepted' });
    await fixture.whenStable();

    expect(button.getAttribute('aria-disabled')).toBeNull();
    expect(q('[data-testid=send-feedback]')?.textContent).toContain('cmd-9');
  });

  it('shows a refused ping', async () => {
    (q('[data-testid=ping-button]') as HTMLButtonElement).click();
    http
      .expectOne('/api/commands')
      .flush({ statusCode: 403, error: 'Forbidden', message: 'not allowed' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    expect(q('[data-testid=send-feedback]')?.textContent).toContain('403 Forbidden: not allowed');
  });
});

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { initialDashboardState, type ReplayInfo, type SessionUser } from '@vigil/shared';
import { accepted, snapshot } from '../../../testing/events';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { liveInfo, reviewInfo } from '../../../testing/replay-info';
import { ADMIN, VIEWER, meResponse } from '../../../testing/users';
import { REPLAY_INFO_URL } from '../../core/replay-info.service';
import { SessionService } from '../../core/session.service';
import { ReplayPageComponent } from './replay-page.component';
import { REPLAY_MARKERS_URL } from './replay-url';

const FROM = '2026-01-01T11:50:00.000Z';
const TO = '2026-01-01T11:55:00.000Z';

describe('ReplayPageComponent', () => {
  let http: HttpTestingController;
  let harness: RouterTestingHarness;
  const original = (globalThis as { EventSource?: unknown }).EventSource;

  const text = (testId: string) => harness.routeNativeElement?.querySelector(`[data-testid=${testId}]`)?.textContent.trim() ?? null;

  beforeEach(() => {
    FakeEventSource.reset();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([{ path: 'replay', component: ReplayPageComponent }])],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    // The replayed dashboard view loads the alert rules for its cards' levels, and its alerts panel the matcher silences.
    for (const request of http.match((r) => r.url === '/api/alert-rules')) request.flush({ rules: [] });
    for (const request of http.match((r) => r.url === '/api/silences')) request.flush({ silences: [] });
    http.verify();
    TestBed.resetTestingModule();
    (globalThis as { EventSource?: unknown }).EventSource = original;
  });

  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await harness.fixture.whenStable();
  }

  /** Signs in as `user`, opens `url` and answers the replay-info question with `info`. */
  async function open(url: string, info: ReplayInfo, user: SessionUser = ADMIN): Promise<void> {
    const session = TestBed.inject(SessionService);
    const restored = session.restore();
    http.expectOne('/api/auth/me').flush(meResponse(user));
    await restored;
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    const asked = http.match(REPLAY_INFO_URL);
    for (const request of asked) request.flush(info);
    await settle();
  }

  function replayQuery(): URLSearchParams {
    return new URL(FakeEventSource.latest.url, 'http://vigil.test').searchParams;
  }

  it('plays the window and speed in the address, under the REPLAY banner, and fetches its markers', async () => {
    await open(`/replay?from=${FROM}&to=${TO}&speed=50`, liveInfo());
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(Object.fromEntries(replayQuery())).toEqual({ from: FROM, to: TO, speed: '50' });
    http
      .expectOne((request) => request.url === REPLAY_MARKERS_URL && request.params.get('from') === FROM && request.params.get('to') === TO)
      .flush({
        from: FROM,
        to: TO,
        markers: [{ time: '2026-01-01T11:52:00.000Z', position: 3, kind: 'command', label: 'restart web-server@staging', ref: 'c1' }],
        truncated: false,
      });
    FakeEventSource.latest.emit({ type: 'replay.start', from: FROM, to: TO, speed: 50, source: 'log' });
    FakeEventSource.latest.emit(snapshot(initialDashboardState()));
    FakeEventSource.latest.emit({ ...accepted(1, 'c1'), time: '2026-01-01T11:52:00.000Z' }, 1);
    await settle();

    expect(text('replay-banner-label')).toBe('REPLAY');
    expect(text('replay-speed')).toBe('Speed 50×');
    expect(text('replay-state')).toBe('playing');
    expect(harness.routeNativeElement?.querySelector('[data-testid=replay-clock]')?.getAttribute('datetime')).toBe(
      '2026-01-01T11:52:00.000Z',
    );
    expect(harness.routeNativeElement?.querySelectorAll('[data-testid=replay-marker]')).toHaveLength(1);
    expect(harness.routeNativeElement?.querySelector('[data-testid=event-row]')?.getAttribute('data-type')).toBe('command.accepted');
    // The very dashboard view of the live page, fed by the player, without its controls.
    expect(harness.routeNativeElement?.querySelector('[data-testid=dashboard-view]')?.getAttribute('data-mode')).toBe('replay');
    expect(harness.routeNativeElement?.querySelector('[data-testid=ping-button]')).toBeNull();
    // Its cards are judged by the rules in force at the replay clock, not today's.
    const rules = http.match((request) => request.url === '/api/alert-rules');
    expect(rules.map((request) => request.request.params.get('at'))).toEqual(['2026-01-01T11:52:00.000Z']);
    for (const request of rules) request.flush({ rules: [] });
  });

  it('says what is wrong with a window in the address and plays nothing', async () => {
    await open(`/replay?from=${TO}&to=${FROM}`, liveInfo());
    expect(text('replay-error')).toBe('The start must be before the end.');
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it('refuses a speed outside 1× to 100× from the address', async () => {
    await open(`/replay?from=${FROM}&to=${TO}&speed=1000`, liveInfo());
    expect(text('replay-error')).toMatch(/from 1× to 100×/);
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it('waits for a window when the address has none', async () => {
    await open('/replay', liveInfo());
    expect(text('replay-empty')).toMatch(/Pick a window/);
    expect(text('replay-state')).toBe('no window');
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it("on a review server shows REVIEW and the bundle, and plays the bundle's window", async () => {
    const info = reviewInfo();
    await open('/replay', info);
    http.expectOne((request) => request.url === REPLAY_MARKERS_URL).flush({ from: info.from, to: info.to, markers: [], truncated: false });
    await settle();
    expect(text('replay-banner-label')).toBe('REVIEW · incident-42.ndjson');
    expect(replayQuery().get('from')).toBe(info.from);
    expect(replayQuery().get('to')).toBe(info.to);
  });

  it("keeps a review window within the bundle's", async () => {
    const info = reviewInfo();
    await open(`/replay?from=2026-01-01T11:00:00.000Z&to=${TO}`, info);
    http.expectOne((request) => request.url === REPLAY_MARKERS_URL).flush({ from: info.from, to: TO, markers: [], truncated: false });
    expect(replayQuery().get('from')).toBe(info.from);
    expect(replayQuery().get('to')).toBe(TO);
  });

  it('tells a role without the replay capability so, and plays nothing', async () => {
    await open(`/replay?from=${FROM}&to=${TO}`, liveInfo(), VIEWER);
    expect(text('replay-denied')).toMatch(/needs the replay capability/);
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it('opens no stream when the page is left before the server says what it replays', async () => {
    const session = TestBed.inject(SessionService);
    const restored = session.restore();
    http.expectOne('/api/auth/me').flush(meResponse(ADMIN));
    await restored;
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(`/replay?from=${FROM}&to=${TO}`);
    const pending = http.expectOne(REPLAY_INFO_URL);
    harness.fixture.destroy();
    pending.flush(liveInfo());
    await Promise.resolve();
    await Promise.resolve();
    expect(FakeEventSource.instances).toHaveLength(0);
  });
});

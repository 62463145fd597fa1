import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, provideAppInitializer } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { initialDashboardState, type ReplayInfo } from '@vigil/shared';
import { accepted, snapshot } from '../../testing/events';
import { FakeEventSource } from '../../testing/fake-event-source';
import { liveInfo, reviewInfo } from '../../testing/replay-info';
import { UNAUTHORIZED, loginResponse, meResponse, unauthorizedBody } from '../../testing/users';
import { csrfInterceptor } from './csrf.interceptor';
import { REPLAY_INFO_URL } from './replay-info.service';
import { linkStreamToSession } from './session-stream';
import { SESSION_EXPIRED_MESSAGE, SessionService } from './session.service';
import { StreamService } from './stream.service';

@Component({ template: '' })
class BlankComponent {}

describe('linkStreamToSession', () => {
  let session: SessionService;
  let stream: StreamService;
  let http: HttpTestingController;
  const original = (globalThis as { EventSource?: unknown }).EventSource;

  beforeEach(() => {
    FakeEventSource.reset();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([csrfInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: 'login', component: BlankComponent }]),
        provideAppInitializer(linkStreamToSession),
      ],
    });
    session = TestBed.inject(SessionService);
    stream = TestBed.inject(StreamService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    stream.disconnect();
    TestBed.resetTestingModule();
    jest.useRealTimers();
    (globalThis as { EventSource?: unknown }).EventSource = original;
  });

  /** Signs in; the app then asks once what the server replays (`info`; null answers 404). */
  async function signIn(info: ReplayInfo | null = liveInfo()): Promise<void> {
    const done = session.login('admin', 'pw');
    http.expectOne('/api/auth/login').flush(loginResponse());
    await done;
    TestBed.tick();
    const request = http.expectOne(REPLAY_INFO_URL);
    if (info) request.flush(info);
    else request.flush({ statusCode: 404, error: 'Not Found', message: 'no replay here' }, { status: 404, statusText: 'Not Found' });
    await settle();
  }

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await Promise.resolve();
    TestBed.tick();
  }

  it('does not connect before sign-in', async () => {
    TestBed.tick();
    expect(FakeEventSource.instances).toHaveLength(0);
    const done = session.restore();
    http.expectOne('/api/auth/me').flush(unauthorizedBody(), UNAUTHORIZED);
    await done;
    TestBed.tick();
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it('connects no live stream on a review server', async () => {
    await signIn(reviewInfo());
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it('stays live when the server cannot say what it replays', async () => {
    await signIn(null);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.latest.url).toBe('/api/stream');
  });

  it('connects once signed in and resets on logout', async () => {
    await signIn();
    expect(FakeEventSource.instances).toHaveLength(1);
    const source = FakeEventSource.latest;
    source.open();
    source.emit(snapshot(initialDashboardState()));
    source.emit(accepted(1, 'a'), 1);
    expect(stream.position()).toBe(1);

    const done = session.logout();
    TestBed.tick();
    expect(source.closed).toBe(true);
    expect(stream.position()).toBe(0);
    expect(stream.state().commands).toEqual([]);
    http.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('asks the server after repeated stream errors, and signs out on its 401', async () => {
    jest.useFakeTimers();
    await signIn();
    FakeEventSource.latest.fail();
    TestBed.tick();
    http.expectNone('/api/auth/me'); // one error can be a blip
    jest.advanceTimersByTime(1_000);
    FakeEventSource.latest.fail();
    TestBed.tick();

    http.expectOne('/api/auth/me').flush(unauthorizedBody(), UNAUTHORIZED);
    await Promise.resolve();
    TestBed.tick();
    expect(session.status()).toBe('signed-out');
    expect(session.expiredMessage()).toBe(SESSION_EXPIRED_MESSAGE);
    jest.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(2); // no more reconnects
  });

  it('keeps streaming when the session is still valid', async () => {
    jest.useFakeTimers();
    await signIn();
    FakeEventSource.latest.fail();
    jest.advanceTimersByTime(1_000);
    FakeEventSource.latest.fail();
    TestBed.tick();
    http.expectOne('/api/auth/me').flush(meResponse());
    await Promise.resolve();
    TestBed.tick();
    expect(session.status()).toBe('signed-in');
    jest.advanceTimersByTime(2_000);
    expect(FakeEventSource.instances).toHaveLength(3);
    FakeEventSource.latest.open();
    expect(stream.status()).toBe('connected');
  });
});

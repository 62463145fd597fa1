import { provideHttpClient, withInterceptors, HttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, type UrlTree } from '@angular/router';
import { CSRF_HEADER } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { ADMIN, LATER, UNAUTHORIZED, loginResponse, meResponse, unauthorizedBody } from '../../testing/users';
import { csrfInterceptor } from './csrf.interceptor';
import { CSRF_HEADER_NAME, SESSION_EXPIRED_MESSAGE, SessionService } from './session.service';

@Component({ template: '' })
class BlankComponent {}

const login = loginResponse;
const me = meResponse;

describe('SessionService', () => {
  let session: SessionService;
  let http: HttpTestingController;
  let router: Router;
  let navigateByUrl: jest.SpiedFunction<Router['navigateByUrl']>;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([csrfInterceptor])),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'login', component: BlankComponent },
          { path: '', component: BlankComponent },
        ]),
      ],
    });
    session = TestBed.inject(SessionService);
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    navigateByUrl = jest.spyOn(router, 'navigateByUrl');
  });

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
  });

  async function signIn(): Promise<void> {
    const done = session.login('admin', 'pw');
    http.expectOne('/api/auth/login').flush(login());
    await done;
  }

  it('uses the header name the API checks', () => {
    expect(CSRF_HEADER_NAME).toBe(CSRF_HEADER);
  });

  it('starts unknown', () => {
    expect(session.status()).toBe('unknown');
    expect(session.user()).toBeNull();
  });

  it('login() posts the credentials and keeps the user and CSRF token', async () => {
    const done = session.login('admin', 'secret password');
    const request = http.expectOne('/api/auth/login');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ username: 'admin', password: 'secret password' });
    expect(request.request.headers.has(CSRF_HEADER)).toBe(false);
    request.flush(login());
    await expect(done).resolves.toEqual(ADMIN);
    expect(session.status()).toBe('signed-in');
    expect(session.user()).toEqual(ADMIN);
    expect(session.csrfToken()).toBe('csrf-1');
    expect(session.expiresAt()).toBe(LATER);
  });

  it('a 401 from login rejects with the error and does not count as an expiry', async () => {
    const done = session.login('admin', 'wrong');
    http.expectOne('/api/auth/login').flush(unauthorizedBody('Invalid username or password'), UNAUTHORIZED);
    await expect(done).rejects.toMatchObject({ status: 401, error: { message: 'Invalid username or password' } });
    expect(session.status()).toBe('unknown');
    expect(session.expiredMessage()).toBeNull();
    expect(navigateByUrl).not.toHaveBeenCalled();
  });

  it('restore() signs in from GET /api/auth/me', async () => {
    const done = session.restore();
    const request = http.expectOne('/api/auth/me');
    expect(request.request.method).toBe('GET');
    request.flush(me());
    await expect(done).resolves.toBe(true);
    expect(session.status()).toBe('signed-in');
    expect(session.user()).toEqual(ADMIN);
    expect(session.csrfToken()).toBe('csrf-2');
  });

  it('restore() with no session is signed-out, quietly', async () => {
    const done = session.restore();
    http.expectOne('/api/auth/me').flush(unauthorizedBody(), UNAUTHORIZED);
    await expect(done).resolves.toBe(false);
    expect(session.status()).toBe('signed-out');
    expect(session.expiredMessage()).toBeNull();
    expect(navigateByUrl).not.toHaveBeenCalled();
  });

  it('concurrent restore() calls share one request; ready() waits for it', async () => {
    const a = session.restore();
    const ready = session.ready();
    const b = session.restore();
    http.expectOne('/api/auth/me').flush(me());
    await expect(Promise.all([a, b, ready])).resolves.toEqual([true, true, 'signed-in']);
    await expect(session.ready()).resolves.toBe('signed-in'); // known now: no second request
  });

  it('restore() keeps a known session when the server is unreachable', async () => {
    await signIn();
    const done = session.restore();
    http.expectOne('/api/auth/me').error(new ProgressEvent('error'), { status: 0 });
    await expect(done).resolves.toBe(true);
    expect(session.status()).toBe('signed-in');
  });

  it('sends X-CSRF-Token on unsafe API calls only', async () => {
    await signIn();
    const client = TestBed.inject(HttpClient);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      void firstValueFrom(client.request(method, '/api/commands', { body: {} }));
      const request = http.expectOne((r) => r.method === method && r.url === '/api/commands');
      expect(request.request.headers.get('X-CSRF-Token')).toBe('csrf-1');
      request.flush({});
    }
    void firstValueFrom(client.get('/api/health'));
    expect(http.expectOne('/api/health').request.headers.has(CSRF_HEADER)).toBe(false);
    void firstValueFrom(client.post('https://elsewhere.example/api/x', {}));
    expect(http.expectOne('https://elsewhere.example/api/x').request.headers.has(CSRF_HEADER)).toBe(false);
    http
      .match(() => true)
      .forEach((request) => {
        request.flush({});
      });
  });

  it('a 401 from any API call while signed in expires the session and routes to /login', async () => {
    await signIn();
    const client = TestBed.inject(HttpClient);
    const call = firstValueFrom(client.post('/api/commands', {}));
    http.expectOne('/api/commands').flush(unauthorizedBody('session expired'), UNAUTHORIZED);
    await expect(call).rejects.toMatchObject({ status: 401 }); // the caller still sees its error
    expect(session.status()).toBe('signed-out');
    expect(session.user()).toBeNull();
    expect(session.csrfToken()).toBeNull();
    expect(session.expiredMessage()).toBe(SESSION_EXPIRED_MESSAGE);
    expect(router.serializeUrl(navigateByUrl.mock.calls.at(-1)![0] as UrlTree)).toBe('/login');
  });

  it('an expiry on a deeper page comes back to it (kiosk mode included) after signing in', async () => {
    await signIn();
    jest.spyOn(router, 'url', 'get').mockReturnValue('/services?kiosk=1');
    session.expire();
    expect(router.serializeUrl(navigateByUrl.mock.calls.at(-1)![0] as UrlTree)).toBe('/login?returnUrl=%2Fservices%3Fkiosk%3D1');
  });

  it('a 401 from the me check while signed in is an expiry too', async () => {
    await signIn();
    const done = session.restore();
    http.expectOne('/api/auth/me').flush(unauthorizedBody(), UNAUTHORIZED);
    await expect(done).resolves.toBe(false);
    expect(session.status()).toBe('signed-out');
    expect(session.expiredMessage()).toBe('Your session has expired; please sign in again.');
  });

  it('signing in again clears the expiry message', async () => {
    await signIn();
    session.expire();
    expect(session.expiredMessage()).toBe(SESSION_EXPIRED_MESSAGE);
    await signIn();
    expect(session.expiredMessage()).toBeNull();
  });

  it('logout() posts with the CSRF token, forgets the session and shows the login page', async () => {
    await signIn();
    const done = session.logout();
    expect(session.status()).toBe('signed-out'); // at once: the stream stops before the round trip
    const request = http.expectOne('/api/auth/logout');
    expect(request.request.method).toBe('POST');
    expect(request.request.headers.get(CSRF_HEADER)).toBe('csrf-1');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(session.user()).toBeNull();
    expect(session.csrfToken()).toBeNull();
    expect(session.expiredMessage()).toBeNull();
    expect(navigateByUrl).toHaveBeenCalledWith('/login');
  });

  it('logout() still signs out locally when the server refuses', async () => {
    await signIn();
    const done = session.logout();
    http.expectOne('/api/auth/logout').flush(unauthorizedBody(), UNAUTHORIZED);
    await done;
    expect(session.status()).toBe('signed-out');
    expect(session.expiredMessage()).toBeNull();
    expect(navigateByUrl).toHaveBeenCalledWith('/login');
  });

  it('checks with the server when the session is due to expire', async () => {
    jest.useFakeTimers();
    try {
      const done = session.login('admin', 'pw');
      http.expectOne('/api/auth/login').flush({ ...login(), expiresAt: new Date(Date.now() + 60_000).toISOString() });
      await done;
      jest.advanceTimersByTime(60_000);
      http.expectNone('/api/auth/me');
      jest.advanceTimersByTime(1_000);
      http.expectOne('/api/auth/me').flush(unauthorizedBody(), UNAUTHORIZED);
      expect(session.status()).toBe('signed-out');
      expect(session.expiredMessage()).toBe(SESSION_EXPIRED_MESSAGE);
    } finally {
      jest.useRealTimers();
    }
  });
});

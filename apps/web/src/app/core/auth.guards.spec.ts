import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, type UrlTree } from '@angular/router';
import { ADMIN, OPERATOR, UNAUTHORIZED, meResponse, unauthorizedBody } from '../../testing/users';
import { capabilityGuard, signedInGuard, signedOutGuard } from './auth.guards';
import { csrfInterceptor } from './csrf.interceptor';

describe('auth guards', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([csrfInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
  });

  const run = (guard: typeof signedInGuard, url = '/') =>
    TestBed.runInInjectionContext(() => guard({} as never, { url } as never)) as Promise<boolean | UrlTree>;
  const serialize = (result: boolean | UrlTree) => (typeof result === 'boolean' ? result : TestBed.inject(Router).serializeUrl(result));

  it('the dashboard waits for restore() and lets a signed-in user in', async () => {
    const result = run(signedInGuard);
    http.expectOne('/api/auth/me').flush(meResponse());
    expect(serialize(await result)).toBe(true);
  });

  it('the dashboard sends everyone else to /login', async () => {
    const result = run(signedInGuard);
    http.expectOne('/api/auth/me').flush(unauthorizedBody(), UNAUTHORIZED);
    expect(serialize(await result)).toBe('/login');
  });

  it('remembers a deeper page (and kiosk mode) for after signing in', async () => {
    const result = run(signedInGuard, '/services?kiosk=1');
    http.expectOne('/api/auth/me').flush(unauthorizedBody(), UNAUTHORIZED);
    expect(serialize(await result)).toBe('/login?returnUrl=%2Fservices%3Fkiosk%3D1');
    const audit = run(capabilityGuard('audit.read'), '/audit?actor=olivia');
    expect(serialize(await audit)).toBe('/login?returnUrl=%2Faudit%3Factor%3Dolivia');
  });

  it('the login page sends a signed-in user to the dashboard', async () => {
    const result = run(signedOutGuard);
    http.expectOne('/api/auth/me').flush(meResponse());
    expect(serialize(await result)).toBe('/');
  });

  it('the login page is open when signed out', async () => {
    const result = run(signedOutGuard);
    http.expectOne('/api/auth/me').flush(unauthorizedBody(), UNAUTHORIZED);
    expect(serialize(await result)).toBe(true);
  });

  it('a capability page lets a holder in (admin has audit.read)', async () => {
    const result = run(capabilityGuard('audit.read'));
    http.expectOne('/api/auth/me').flush(meResponse(ADMIN));
    expect(serialize(await result)).toBe(true);
  });

  it('a capability page sends others to the dashboard and says why', async () => {
    const result = run(capabilityGuard('audit.read'));
    http.expectOne('/api/auth/me').flush(meResponse(OPERATOR));
    expect(serialize(await result)).toBe('/');
    expect(document.body.querySelector('.mat-mdc-snack-bar-container')?.textContent).toContain(
      'Not allowed: role "operator" lacks audit.read.',
    );
  });

  it('a capability page sends someone signed out to /login', async () => {
    const result = run(capabilityGuard('replay'));
    http.expectOne('/api/auth/me').flush(unauthorizedBody(), UNAUTHORIZED);
    expect(serialize(await result)).toBe('/login');
  });
});

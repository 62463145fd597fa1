import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ActivatedRoute, Router, convertToParamMap, provideRouter } from '@angular/router';
import { UNAUTHORIZED, loginResponse, unauthorizedBody } from '../../../testing/users';
import { csrfInterceptor } from '../../core/csrf.interceptor';
import { SESSION_EXPIRED_MESSAGE, SessionService } from '../../core/session.service';
import type { AuthMethods } from '@vigil/shared';
import { LoginComponent } from './login.component';
import { queryIn } from '../../../testing/dom';

@Component({ template: '' })
class BlankComponent {}

describe('LoginComponent', () => {
  let fixture: ComponentFixture<LoginComponent>;
  let http: HttpTestingController;
  let router: Router;
  let navigateByUrl: jest.SpiedFunction<Router['navigateByUrl']>;

  const q = (selector: string) => queryIn(fixture, selector)!;
  const inputAt = (selector: string) => q(selector) as HTMLInputElement;
  const buttonAt = (selector: string) => q(selector) as HTMLButtonElement;

  function type(selector: string, value: string): void {
    const input = inputAt(selector);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function submitAs(username: string, password: string): Promise<void> {
    type('[data-testid=login-username]', username);
    type('[data-testid=login-password]', password);
    buttonAt('[data-testid=login-submit]').click();
    await fixture.whenStable();
  }

  /** Lets the component's awaited promise chain settle, then renders. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    await fixture.whenStable();
  }

  /** Sets up the page as opened at /login, with `?returnUrl=` if given. */
  async function open(returnUrl?: string, methods: AuthMethods = { password: 'all' }, ssoError?: string): Promise<void> {
    const query = { ...(returnUrl === undefined ? {} : { returnUrl }), ...(ssoError === undefined ? {} : { sso_error: ssoError }) };
    TestBed.configureTestingModule({
      imports: [LoginComponent],
      providers: [
        provideHttpClient(withInterceptors([csrfInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: '', component: BlankComponent }]),
        ...(Object.keys(query).length === 0
          ? []
          : [{ provide: ActivatedRoute, useValue: { snapshot: { queryParamMap: convertToParamMap(query) } } }]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    navigateByUrl = jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    fixture = TestBed.createComponent(LoginComponent);
    http.expectOne('/api/auth/methods').flush(methods);
    await settle();
  }

  beforeEach(() => open());

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
  });

  it('has labelled fields and a submit button', () => {
    const username = inputAt('#login-username');
    const password = inputAt('#login-password');
    expect(q('label[for=login-username]').textContent.trim()).toBe('Username');
    expect(q('label[for=login-password]').textContent.trim()).toBe('Password');
    expect(username.autocomplete).toBe('username');
    expect(password.type).toBe('password');
    expect(password.autocomplete).toBe('current-password');
    const button = buttonAt('[data-testid=login-submit]');
    expect(button.type).toBe('submit');
    expect(button.closest('form')).toBe(username.closest('form'));
    expect(q('[data-testid=login-error]').hidden).toBe(true);
  });

  it('signs in, disabling the button meanwhile, and goes to the dashboard', async () => {
    await submitAs('admin', 'the password');
    const button = buttonAt('[data-testid=login-submit]');
    expect(button.disabled).toBe(true);
    expect(button.textContent).toContain('Signing in');

    const request = http.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({ username: 'admin', password: 'the password' });
    request.flush(loginResponse());
    await settle();

    expect(TestBed.inject(SessionService).status()).toBe('signed-in');
    expect(navigateByUrl).toHaveBeenCalledWith('/');
    expect(button.disabled).toBe(false);
  });

  it.each([
    ['/services?kiosk=1', '/services?kiosk=1'],
    ['//evil.example/steal', '/'],
  ])('after signing in goes back to ?returnUrl=%s: %s', async (returnUrl, expected) => {
    TestBed.resetTestingModule();
    await open(returnUrl);
    await submitAs('admin', 'the password');
    http.expectOne('/api/auth/login').flush(loginResponse());
    await settle();
    expect(navigateByUrl).toHaveBeenCalledWith(expected);
  });

  it("shows the server's message for wrong credentials and lets the user retry", async () => {
    await submitAs('admin', 'wrong');
    http.expectOne('/api/auth/login').flush(unauthorizedBody('Invalid username or password'), UNAUTHORIZED);
    await settle();

    const error = q('[data-testid=login-error]');
    expect(error.hidden).toBe(false);
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent.trim()).toBe('Invalid username or password');
    expect(q('#login-password').getAttribute('aria-describedby')).toBe('login-error');
    expect(q('#login-password').getAttribute('aria-invalid')).toBe('true');
    expect(buttonAt('[data-testid=login-submit]').disabled).toBe(false);
    expect(navigateByUrl).not.toHaveBeenCalled();
    expect(TestBed.inject(SessionService).expiredMessage()).toBeNull();
  });

  it('says to wait on 429', async () => {
    await submitAs('admin', 'again');
    http
      .expectOne('/api/auth/login')
      .flush(
        { statusCode: 429, error: 'Too Many Requests', message: 'ThrottlerException: Too Many Requests' },
        { status: 429, statusText: 'Too Many Requests' },
      );
    await settle();
    expect(q('[data-testid=login-error]').textContent).toContain('Too many attempts; wait a minute');
  });

  it('says when the server cannot be reached', async () => {
    await submitAs('admin', 'pw');
    http.expectOne('/api/auth/login').error(new ProgressEvent('error'), { status: 0 });
    await settle();
    expect(q('[data-testid=login-error]').textContent).toContain('could not be reached');
  });

  it('asks for both fields without calling the server', async () => {
    await submitAs('admin', '');
    http.expectNone('/api/auth/login');
    expect(q('[data-testid=login-error]').textContent).toContain('Enter your username and password');
  });

  it('shows why the user was sent here after an expiry', async () => {
    const session = TestBed.inject(SessionService);
    const done = session.login('admin', 'pw');
    http.expectOne('/api/auth/login').flush(loginResponse());
    await done;
    session.expire();
    await fixture.whenStable();
    expect(q('[data-testid=login-notice]').textContent.trim()).toBe(SESSION_EXPIRED_MESSAGE);
  });

  it('offers no SSO when the server has none', () => {
    expect(queryIn(fixture, '[data-testid=login-sso-link]')).toBeNull();
  });

  it('offers "Sign in with <label>" beside the password form, keeping the return URL', async () => {
    TestBed.resetTestingModule();
    await open('/alerts', { password: 'break-glass', oidc: { label: 'Acme SSO', loginUrl: '/api/auth/oidc/login' } });
    const link = q('[data-testid=login-sso-link]') as HTMLAnchorElement;
    expect(link.textContent.trim()).toBe('Sign in with Acme SSO');
    expect(link.getAttribute('href')).toBe('/api/auth/oidc/login?returnUrl=%2Falerts');
    expect(q('[data-testid=login-break-glass]').textContent).toContain('break-glass');
  });

  it('explains a refused SSO sign-in by its code, never with text from the URL', async () => {
    TestBed.resetTestingModule();
    await open(undefined, { password: 'all' }, 'unmapped');
    expect(q('[data-testid=login-error]').hidden).toBe(false);
    expect(q('[data-testid=login-error]').textContent).toContain('not in any group');
    TestBed.resetTestingModule();
    await open(undefined, { password: 'all' }, 'Call 555-0100 now');
    expect(q('[data-testid=login-error]').textContent).toBe('Single sign-on failed. Please try again.');
  });
});

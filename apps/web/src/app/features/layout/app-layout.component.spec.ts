import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { roleSchema, type SessionUser } from '@vigil/shared';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { reviewInfo } from '../../../testing/replay-info';
import { ADMIN, OPERATOR, VIEWER, loginResponse } from '../../../testing/users';
import { csrfInterceptor } from '../../core/csrf.interceptor';
import { ENVIRONMENTS_URL, EnvironmentService } from '../../core/environment.service';
import { KioskService } from '../../core/kiosk.service';
import { REPLAY_INFO_URL, ReplayInfoService } from '../../core/replay-info.service';
import { SessionService } from '../../core/session.service';
import { StreamService } from '../../core/stream.service';
import { AppLayoutComponent } from './app-layout.component';
import { queryAllIn, queryIn } from '../../../testing/dom';

@Component({ selector: 'vg-test-page', changeDetection: ChangeDetectionStrategy.OnPush, template: `<p data-testid="page">page</p>` })
class PageStubComponent {}

/** A viewer whose role may view staging only. */
const STAGING_VIEWER: SessionUser = { ...VIEWER, id: 'u-sv', username: 'stella', grants: roleSchema.parse({ environments: ['staging'] }) };

describe('AppLayoutComponent', () => {
  let fixture: ComponentFixture<AppLayoutComponent>;
  let http: HttpTestingController;
  const original = (globalThis as { EventSource?: unknown }).EventSource;

  const q = (selector: string) => queryIn(fixture, selector);
  const qa = (selector: string) => queryAllIn(fixture, selector);

  /** Signs in as `user`, renders the layout at `url` and answers GET /api/environments. */
  async function render(user: SessionUser, url = '/', configured = ['production', 'staging']): Promise<void> {
    const done = TestBed.inject(SessionService).login(user.username, 'pw');
    http.expectOne('/api/auth/login').flush(loginResponse(user));
    await done;
    TestBed.inject(KioskService);
    await TestBed.inject(Router).navigateByUrl(url);
    fixture = TestBed.createComponent(AppLayoutComponent);
    await fixture.whenStable();
    // The API lists only the environments the role may view; the switcher must not rely on it.
    http.expectOne(ENVIRONMENTS_URL).flush({ environments: configured.map((name) => ({ name })) });
    await fixture.whenStable();
  }

  beforeEach(() => {
    FakeEventSource.reset();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({
      imports: [AppLayoutComponent],
      providers: [
        provideHttpClient(withInterceptors([csrfInterceptor])),
        provideHttpClientTesting(),
        provideRouter([
          { path: '', component: PageStubComponent },
          { path: 'services', component: PageStubComponent },
          { path: 'login', component: PageStubComponent },
        ]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    TestBed.inject(StreamService).disconnect();
    document.documentElement.classList.remove('vg-kiosk');
    TestBed.resetTestingModule();
    (globalThis as { EventSource?: unknown }).EventSource = original;
  });

  const navLabels = () => qa('[data-testid=nav] a').map((a) => a.textContent.trim());

  it('shows each role the pages it may open', async () => {
    await render(ADMIN);
    expect(navLabels()).toEqual([
      'Dashboard',
      'Services',
      'Alerts',
      'Approvals',
      'Audit',
      'Replay',
      'Users',
      'Hosts',
      'Incidents',
      'Notifications',
    ]);
  });

  it.each([
    ['operator', OPERATOR],
    ['viewer', VIEWER],
  ])('hides Audit and Replay from the %s', async (_name, user) => {
    await render(user);
    expect(navLabels()).toEqual(['Dashboard', 'Services', 'Alerts', 'Approvals', 'Incidents', 'Notifications']);
    expect(q('[data-testid=nav-audit]')).toBeNull();
    expect(q('[data-testid=nav-replay]')).toBeNull();
  });

  it('shows the user, the role, the connection and a labelled theme toggle', async () => {
    await render(OPERATOR);
    expect(q('[data-testid=current-user]')?.textContent).toContain('operator');
    expect(q('[data-testid=current-role]')?.textContent.trim()).toBe('operator');
    expect(q('[data-testid=connection-status]')?.textContent.trim()).toBe('connecting');
    expect(q('[data-testid=theme-toggle]')?.getAttribute('aria-label')).toMatch(/^Switch to the (light|dark) theme$/);
    expect(q('[data-testid=skip-link]')?.textContent).toContain('Skip to main content');
  });

  it('offers "retry now" while reconnecting', async () => {
    await render(ADMIN);
    TestBed.inject(StreamService).connect();
    FakeEventSource.latest.fail();
    await fixture.whenStable();
    expect(q('[data-testid=connection-status]')?.textContent.trim()).toBe('reconnecting');
    expect(q('[data-testid=reconnect-countdown]')?.textContent).toContain('retry in 1s');
    const before = FakeEventSource.instances.length;
    (q('[data-testid=retry-now]') as HTMLButtonElement).click();
    expect(FakeEventSource.instances.length).toBe(before + 1);
  });

  describe('environment switcher', () => {
    async function openSwitcher(): Promise<string[]> {
      q('[data-testid=environment-select] .mat-mdc-select-trigger')!.click();
      await fixture.whenStable();
      return Array.from(document.querySelectorAll('.vg-environment-panel [data-testid=environment-choice]')).map((option) =>
        option.textContent.trim(),
      );
    }

    it('lists "All environments" and only the environments the role may view', async () => {
      await render(STAGING_VIEWER);
      expect(TestBed.inject(EnvironmentService).viewable()).toEqual(['staging']);
      expect(await openSwitcher()).toEqual(['All environments', 'staging']);
    });

    it('lists every configured environment for a role that views them all, and selects one', async () => {
      await render(ADMIN);
      expect(await openSwitcher()).toEqual(['All environments', 'production', 'staging']);
      const staging = document.querySelector<HTMLElement>(
        '.vg-environment-panel [data-testid=environment-choice][data-environment=staging]',
      )!;
      staging.click();
      await fixture.whenStable();
      expect(TestBed.inject(EnvironmentService).selected()).toBe('staging');
      expect(q('[data-testid=environment-select]')?.textContent).toContain('staging');
    });

    it('reports a failure to load the environments', async () => {
      const done = TestBed.inject(SessionService).login('admin', 'pw');
      http.expectOne('/api/auth/login').flush(loginResponse(ADMIN));
      await done;
      fixture = TestBed.createComponent(AppLayoutComponent);
      await fixture.whenStable();
      http
        .expectOne(ENVIRONMENTS_URL)
        .flush({ statusCode: 500, error: 'Internal Server Error', message: 'boom' }, { status: 500, statusText: 'Internal Server Error' });
      await fixture.whenStable();
      expect(q('[data-testid=environments-error]')?.textContent).toContain('boom');
    });
  });

  describe('kiosk mode', () => {
    it('shows no controls and no navigation, larger type, and a labelled way out', async () => {
      await render(ADMIN, '/services?kiosk=1');
      expect(TestBed.inject(KioskService).active()).toBe(true);
      expect(document.documentElement.classList.contains('vg-kiosk')).toBe(true);
      expect(q('[data-testid=app-header]')?.getAttribute('data-kiosk')).toBe('true');
      expect(q('[data-testid=nav]')).toBeNull();
      expect(q('[data-testid=environment-select]')).toBeNull();
      expect(q('[data-testid=logout-button]')).toBeNull();
      expect(q('[data-testid=theme-toggle]')).toBeNull();
      expect(q('[data-testid=enter-kiosk]')).toBeNull();
      expect(q('[data-testid=kiosk-environment]')?.textContent.trim()).toBe('All environments');
      expect(q('[data-testid=connection-status]')).not.toBeNull();
      // The only control left is the way out.
      const buttons = qa('button');
      expect(buttons.map((b) => b.getAttribute('data-testid'))).toEqual(['exit-kiosk']);
      expect(buttons[0]?.textContent?.trim()).toBe('Exit kiosk mode');
      expect(qa('input, select, mat-select')).toEqual([]);
    });

    it('stays on while navigating, and ends on the same page when left', async () => {
      await render(ADMIN, '/?kiosk=1');
      const router = TestBed.inject(Router);
      await router.navigateByUrl('/services');
      await fixture.whenStable();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(router.url).toBe('/services?kiosk=1');
      expect(TestBed.inject(KioskService).active()).toBe(true);

      (q('[data-testid=exit-kiosk]') as HTMLButtonElement).click();
      await fixture.whenStable();
      await new Promise((resolve) => setTimeout(resolve, 0));
      await fixture.whenStable();
      expect(router.url).toBe('/services');
      expect(TestBed.inject(KioskService).active()).toBe(false);
      expect(document.documentElement.classList.contains('vg-kiosk')).toBe(false);
      expect(q('[data-testid=nav]')).not.toBeNull();
      expect(q('[data-testid=logout-button]')).not.toBeNull();
    });

    it('is entered from the header link, keeping the page', async () => {
      await render(ADMIN, '/services');
      expect(q('[data-testid=enter-kiosk]')?.getAttribute('href')).toBe('/services?kiosk=1');
    });
  });

  it('signs out', async () => {
    await render(ADMIN);
    const router = TestBed.inject(Router);
    const navigate = jest.spyOn(router, 'navigateByUrl');
    (q('[data-testid=logout-button]') as HTMLButtonElement).click();
    http.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    await Promise.resolve();
    expect(TestBed.inject(SessionService).status()).toBe('signed-out');
    expect(navigate).toHaveBeenCalledWith('/login');
  });

  it('on a review server offers only the replay and incidents, and no connection, sign-out or environments error', async () => {
    const done = TestBed.inject(SessionService).login('reviewer', 'pw');
    http.expectOne('/api/auth/login').flush(loginResponse(ADMIN));
    await done;
    const asked = TestBed.inject(ReplayInfoService).load();
    http.expectOne(REPLAY_INFO_URL).flush(reviewInfo());
    await asked;
    fixture = TestBed.createComponent(AppLayoutComponent);
    await fixture.whenStable();
    http
      .expectOne(ENVIRONMENTS_URL)
      .flush({ statusCode: 404, error: 'Not Found', message: 'review' }, { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();
    expect(navLabels()).toEqual(['Replay', 'Incidents']);
    expect(q('[data-testid=connection-status]')).toBeNull();
    expect(q('[data-testid=logout-button]')).toBeNull();
    expect(q('[data-testid=environments-error]')).toBeNull();
  });
});

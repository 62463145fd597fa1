import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { initialDashboardState, type DashboardState, type ServiceView, type SessionUser } from '@vigil/shared';
import { OPERATOR, VIEWER, loginResponse } from '../../../testing/users';
import { DASHBOARD_SOURCE, type DashboardSource } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { SessionService } from '../../core/session.service';
import { ServicesComponent } from './services.component';
import { queryAllIn, queryIn } from '../../../testing/dom';

const T = Date.parse('2026-01-01T12:00:00.000Z');

function view(environment: string, service: string): ServiceView {
  return {
    environment,
    service,
    version: '1.0.0',
    desiredInstances: 1,
    instances: [{ index: 0, pid: 10, port: 4000, state: 'running', startedAt: '2026-01-01T11:59:00.000Z', restarts: 0 }],
    restarts: 0,
    position: 1,
  };
}

const STATE: DashboardState = {
  ...initialDashboardState(),
  services: { 'staging/web-server': view('staging', 'web-server'), 'production/web-server': view('production', 'web-server') },
};

describe('ServicesComponent', () => {
  let fixture: ComponentFixture<ServicesComponent>;
  let http: HttpTestingController;
  const q = (selector: string) => queryIn(fixture, selector);
  const qa = (selector: string) => queryAllIn(fixture, selector);

  async function render(mode: DashboardSource['mode'], user: SessionUser = OPERATOR): Promise<void> {
    const source: DashboardSource = { mode, state: signal(STATE), now: signal(T), snapshots: signal(0) };
    TestBed.configureTestingModule({
      imports: [ServicesComponent],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([]), { provide: DASHBOARD_SOURCE, useValue: source }],
    });
    http = TestBed.inject(HttpTestingController);
    const done = TestBed.inject(SessionService).login(user.username, 'pw');
    http.expectOne('/api/auth/login').flush(loginResponse(user));
    await done;
    fixture = TestBed.createComponent(ServicesComponent);
    await fixture.whenStable();
  }

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
  });

  it('live: controls per row, disabled with the reason where the role may not act', async () => {
    await render('live');
    http.expectOne('/api/services').flush([]);
    await fixture.whenStable();
    const production = q('[data-testid=service-row][data-environment=production]')!;
    const staging = q('[data-testid=service-row][data-environment=staging]')!;
    const deploy = production.querySelector<HTMLButtonElement>('[data-testid=action-deploy]')!;
    expect(deploy.disabled).toBe(true);
    expect(deploy.getAttribute('title')).toBe('role "operator" may not run deploy on web-server in production');
    expect(production.querySelector<HTMLButtonElement>('[data-testid=action-logs]')!.disabled).toBe(false);
    expect(staging.querySelector<HTMLButtonElement>('[data-testid=action-deploy]')!.disabled).toBe(false);
  });

  it('live: no controls at all for a role that may run none of them', async () => {
    await render('live', VIEWER);
    http.expectOne('/api/services').flush([]);
    await fixture.whenStable();
    expect(qa('[data-testid=service-row]')).toHaveLength(2);
    expect(qa('[data-testid^=action-]')).toEqual([]);
  });

  it('live: shows only the environment chosen in the header', async () => {
    await render('live');
    http.expectOne('/api/services').flush([]);
    const environments = TestBed.inject(EnvironmentService);
    environments.setKnown(['production', 'staging']);
    environments.select('production');
    await fixture.whenStable();
    expect(qa('[data-testid=service-row]').map((row) => row.getAttribute('data-environment'))).toEqual(['production']);
  });

  it('replay: the same rows without any command control, and no request to the API', async () => {
    await render('replay');
    expect(qa('[data-testid=service-row]').map((row) => row.getAttribute('data-environment'))).toEqual(['production', 'staging']);
    expect(q('[data-testid=read-only-note]')?.textContent).toContain('replay is read-only');
    expect(qa('[data-testid^=action-]')).toEqual([]);
    expect(qa('input, form')).toEqual([]);
    expect(qa('button').filter((b) => b.getAttribute('data-testid') !== 'toggle-output')).toEqual([]);
  });
});

import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { SessionUser, SilenceView } from '@vigil/shared';
import { signInAs, testDashboardSource } from '../../../testing/session';
import { ADMIN, VIEWER } from '../../../testing/users';
import { ALERT_RULES_URL } from '../../core/alert-rules.service';
import { csrfInterceptor } from '../../core/csrf.interceptor';
import { DASHBOARD_SOURCE, type DashboardSource } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { KioskService } from '../../core/kiosk.service';
import { formMatchers } from './silence-form';
import { SilencesPanelComponent } from './silences-panel.component';
import { SILENCES_URL, SilencesService } from './silences.service';
import { queryAllIn, queryIn } from '../../../testing/dom';

const NOW = Date.parse('2026-01-01T13:00:00.000Z');

const silence = (changes: Partial<SilenceView>): SilenceView => ({
  silenceId: 's',
  matchers: { rule: 'cpu-high' },
  until: new Date(NOW + 3_600_000).toISOString(),
  reason: 'maintenance',
  by: 'olivia',
  createdAt: new Date(NOW - 60_000).toISOString(),
  active: true,
  ...changes,
});

describe('matcher silence form', () => {
  it.each([
    [['cpu-high', '', ''], { matchers: { rule: 'cpu-high' } }],
    [['', 'staging', 'team=ops'], { matchers: { environment: 'staging', labels: { team: 'ops' } } }],
    [[' cpu-high ', 'staging', ' team = ops '], { matchers: { rule: 'cpu-high', environment: 'staging', labels: { team: 'ops' } } }],
    [['', '', ''], { error: expect.stringContaining('a silence of everything is not allowed') as unknown }],
    [['', '', 'team'], { error: expect.stringContaining('key=value') as unknown }],
    [['', '', '=ops'], { error: expect.stringContaining('key=value') as unknown }],
  ])('%j → %j', ([rule, environment, label], expected) => {
    expect(formMatchers(rule, environment, label)).toEqual(expected);
  });
});

describe('SilencesPanelComponent', () => {
  let fixture: ComponentFixture<SilencesPanelComponent>;
  let http: HttpTestingController;

  const q = (selector: string) => queryIn(fixture, selector);
  const qa = (selector: string) => queryAllIn(fixture, selector);
  const type = (testId: string, value: string) => {
    const input = q(`[data-testid=${testId}]`) as HTMLInputElement | HTMLSelectElement;
    input.value = value;
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input'));
  };

  async function render(user: SessionUser, silences: SilenceView[], mode: DashboardSource['mode'] = 'live'): Promise<void> {
    TestBed.configureTestingModule({
      imports: [SilencesPanelComponent],
      providers: [
        provideHttpClient(withInterceptors([csrfInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: DASHBOARD_SOURCE, useValue: testDashboardSource(mode, NOW) },
        { provide: KioskService, useValue: { active: signal(false).asReadonly() } },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await signInAs(http, user);
    TestBed.inject(EnvironmentService).setKnown(['production', 'staging']);
    TestBed.inject(SilencesService).refresh(0);
    http.expectOne(SILENCES_URL).flush({ silences });
    fixture = TestBed.createComponent(SilencesPanelComponent);
    await fixture.whenStable();
    if (mode === 'live') http.expectOne(ALERT_RULES_URL).flush({ rules: [] });
    await fixture.whenStable();
  }

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
  });

  it('lists the silences, in force first, each judged at the clock', async () => {
    await render(VIEWER, [
      silence({ silenceId: 'ended', until: new Date(NOW - 1_000).toISOString(), createdAt: new Date(NOW - 7_200_000).toISOString() }),
      silence({ silenceId: 'now', matchers: { environment: 'staging', labels: { team: 'ops' } } }),
    ]);
    const rows = qa('[data-testid=silence-row]');
    expect(rows.map((row) => [row.getAttribute('data-silence-id'), row.getAttribute('data-active')])).toEqual([
      ['now', 'true'],
      ['ended', 'false'],
    ]);
    expect(rows[0]?.querySelector('[data-testid=silence-matchers]')?.textContent).toBe('environment=staging, team=ops');
    // A viewer has no alerts.ack: no form.
    expect(q('[data-testid=silence-form]')).toBeNull();
  });

  it('makes a silence for alerts.ack holders: matchers, until from the duration, the reason', async () => {
    await render(ADMIN, []);
    type('silence-rule', 'cpu-high');
    type('silence-environment', 'staging');
    type('silence-duration-select', '0'); // 15 minutes
    type('silence-reason', 'patching');
    await fixture.whenStable();
    const before = Date.now();
    (q('[data-testid=silence-submit]') as HTMLButtonElement).click();
    const request = http.expectOne((r) => r.method === 'POST' && r.url === '/api/silences');
    expect(request.request.body).toMatchObject({ matchers: { rule: 'cpu-high', environment: 'staging' }, reason: 'patching' });
    const until = Date.parse((request.request.body as { until: string }).until);
    expect(until - before).toBeGreaterThanOrEqual(15 * 60_000 - 1_000);
    expect(until - before).toBeLessThanOrEqual(15 * 60_000 + 1_000);
    request.flush(silence({ matchers: { rule: 'cpu-high', environment: 'staging' } }), { status: 201, statusText: 'Created' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Listed again at once, not only when the stream brings the event.
    http.expectOne(SILENCES_URL).flush({ silences: [silence({ matchers: { rule: 'cpu-high', environment: 'staging' } })] });
    await fixture.whenStable();
    expect(qa('[data-testid=silence-row]')).toHaveLength(1);
    expect((q('[data-testid=silence-reason]') as HTMLInputElement).value).toBe('');
  });

  it('says what is wrong before sending, and shows the API refusal', async () => {
    await render(ADMIN, []);
    (q('[data-testid=silence-submit]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(q('[data-testid=silence-form-error]')?.textContent).toContain('a silence of everything is not allowed');
    type('silence-rule', 'cpu-high');
    (q('[data-testid=silence-submit]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(q('[data-testid=silence-form-error]')?.textContent).toContain('Say why');
    type('silence-reason', 'x');
    (q('[data-testid=silence-submit]') as HTMLButtonElement).click();
    http
      .expectOne('/api/silences')
      .flush({ statusCode: 403, error: 'Forbidden', message: 'you may not view production' }, { status: 403, statusText: 'Forbidden' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
    expect(q('[data-testid=silence-form-error]')?.textContent).toContain('you may not view production');
  });

  it('offers no form in a replay', async () => {
    await render(ADMIN, [silence({})], 'replay');
    expect(q('[data-testid=silence-form]')).toBeNull();
    expect(qa('[data-testid=silence-row]')).toHaveLength(1);
  });
});

import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { CSRF_HEADER, type AlertView, type SessionUser, type SilenceView } from '@vigil/shared';
import { alertView } from '../../../testing/alerts';
import { signInAs, testDashboardSource } from '../../../testing/session';
import { ADMIN, OPERATOR, VIEWER } from '../../../testing/users';
import { csrfInterceptor } from '../../core/csrf.interceptor';
import { DASHBOARD_SOURCE, type DashboardSource } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { KioskService } from '../../core/kiosk.service';
import { AlertsPanelComponent } from './alerts-panel.component';
import { SILENCES_URL } from './silences.service';
import { queryAllIn, queryIn } from '../../../testing/dom';

const NOW = Date.parse('2026-01-01T13:00:00.000Z');

describe('AlertsPanelComponent', () => {
  let fixture: ComponentFixture<AlertsPanelComponent>;
  let http: HttpTestingController;
  let source: ReturnType<typeof testDashboardSource>;

  const q = (selector: string) => queryIn(fixture, selector);
  const qa = (selector: string) => queryAllIn(fixture, selector);
  const inOverlay = (selector: string) => document.body.querySelector<HTMLElement>(selector);
  const row = (alert: AlertView) => q(`[data-testid=alert-row][data-alert-id="${alert.alertId}"]`)!;

  async function render(
    user: SessionUser,
    alerts: AlertView[],
    mode: DashboardSource['mode'] = 'live',
    kiosk = false,
    silences: SilenceView[] = [],
  ): Promise<void> {
    source = testDashboardSource(mode, NOW, alerts);
    TestBed.configureTestingModule({
      imports: [AlertsPanelComponent],
      providers: [
        provideHttpClient(withInterceptors([csrfInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: DASHBOARD_SOURCE, useValue: source },
        { provide: KioskService, useValue: { active: signal(kiosk).asReadonly() } },
        // Dialogs close at once instead of after their exit animation.
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await signInAs(http, user);
    fixture = TestBed.createComponent(AlertsPanelComponent);
    await fixture.whenStable();
    // The matcher silences, loaded once at the start.
    http.expectOne(SILENCES_URL).flush({ silences });
    await fixture.whenStable();
  }

  /** Lets the dialog open or close and the view settle. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
  }

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
    document.body.querySelectorAll('.cdk-overlay-container').forEach((node) => {
      node.remove();
    });
  });

  it('lists the latest 50, firing first, with the severity as a word and the state', async () => {
    const resolved = Array.from({ length: 55 }, (_, i) =>
      alertView({
        state: 'resolved',
        startedAt: new Date(NOW - (i + 2) * 60_000).toISOString(),
        resolvedAt: new Date(NOW - 60_000).toISOString(),
      }),
    );
    const firing = alertView({ severity: 'critical', startedAt: new Date(NOW - 3_600_000).toISOString() });
    await render(ADMIN, [...resolved, firing]);
    const rows = qa('[data-testid=alert-row]');
    expect(rows).toHaveLength(50);
    expect(rows[0]?.getAttribute('data-alert-id')).toBe(firing.alertId);
    expect(rows[0]?.querySelector('[data-testid=alert-severity]')?.textContent?.trim()).toBe('Critical');
    expect(rows[0]?.querySelector('[data-testid=alert-state]')?.textContent?.trim()).toBe('Firing');
    expect(rows[1]?.querySelector('[data-testid=alert-state]')?.textContent?.trim()).toBe('Resolved');
    expect(q('[data-testid=alerts-firing-count]')?.textContent.trim()).toBe('1 firing');
  });

  it('follows the state: a new alert from the stream shows without any request', async () => {
    await render(ADMIN, []);
    expect(q('[data-testid=alerts-empty]')).not.toBeNull();
    const raised = alertView();
    source.state.update((state) => ({ ...state, alerts: [raised] }));
    await fixture.whenStable();
    expect(qa('[data-testid=alert-row]').map((r) => r.getAttribute('data-alert-id'))).toEqual([raised.alertId]);
  });

  describe('matcher silences', () => {
    const silence = (changes: Partial<SilenceView> = {}): SilenceView => ({
      silenceId: 's-1',
      matchers: { rule: 'cpu-high', environment: 'staging' },
      until: new Date(NOW + 3_600_000).toISOString(),
      reason: 'maintenance window',
      by: 'olivia',
      createdAt: new Date(NOW - 60_000).toISOString(),
      active: true,
      ...changes,
    });

    it('marks the alerts a matcher silence covers at the panel clock, saying who, what it matches and until when', async () => {
      const covered = alertView({ rule: 'cpu-high', environment: 'staging' });
      const other = alertView({ rule: 'cpu-high', environment: 'production' });
      await render(ADMIN, [covered, other], 'live', false, [silence()]);
      expect(row(covered).getAttribute('data-silenced')).toBe('true');
      expect(row(covered).querySelector('[data-testid=alert-matcher-silenced]')?.textContent.replace(/\s+/g, ' ')).toContain(
        'Silenced by olivia for every alert matching rule=cpu-high, environment=staging',
      );
      expect(row(other).getAttribute('data-silenced')).toBeNull();
      expect(row(other).querySelector('[data-testid=alert-matcher-silenced]')).toBeNull();
    });

    it('in a replay, counts a silence only from its making until it runs out', async () => {
      const covered = alertView({ rule: 'cpu-high', environment: 'staging' });
      await render(ADMIN, [covered], 'replay', false, [silence({ createdAt: new Date(NOW + 60_000).toISOString() })]);
      expect(row(covered).getAttribute('data-silenced')).toBeNull(); // made after the replay clock
      source.now.set(NOW + 120_000);
      await fixture.whenStable();
      expect(row(covered).getAttribute('data-silenced')).toBe('true');
      source.now.set(NOW + 7_200_000);
      await fixture.whenStable();
      expect(row(covered).getAttribute('data-silenced')).toBeNull(); // ran out
    });

    it('loads the silences again when a new one is folded in', async () => {
      const covered = alertView({ rule: 'cpu-high', environment: 'staging' });
      await render(ADMIN, [covered]);
      expect(row(covered).getAttribute('data-silenced')).toBeNull();
      source.state.update((state) => ({
        ...state,
        recentEvents: [
          {
            position: 9,
            stream: 'silences',
            type: 'alert.silenced',
            time: new Date(NOW).toISOString(),
          },
          ...state.recentEvents,
        ],
      }));
      await fixture.whenStable();
      http.expectOne(SILENCES_URL).flush({ silences: [silence()] });
      await fixture.whenStable();
      expect(row(covered).getAttribute('data-silenced')).toBe('true');
    });
  });

  it("shows only the header's environment (and host-wide alerts)", async () => {
    const staging = alertView({ environment: 'staging' });
    const production = alertView({ environment: 'production' });
    await render(ADMIN, [staging, production]);
    const environments = TestBed.inject(EnvironmentService);
    environments.setKnown(['production', 'staging']);
    environments.select('production');
    await fixture.whenStable();
    expect(qa('[data-testid=alert-row]').map((r) => r.getAttribute('data-alert-id'))).toEqual([production.alertId]);
  });

  it('marks acknowledged and silenced alerts with who and until when', async () => {
    const alert = alertView({
      acknowledged: { by: 'olivia', comment: 'looking', at: '2026-01-01T12:10:00.000Z' },
      silenced: { by: 'admin', until: '2026-01-01T15:00:00.000Z', reason: 'deploy', at: '2026-01-01T12:11:00.000Z', silenceId: 's' },
    });
    const expired = alertView({
      silenced: { by: 'admin', until: '2026-01-01T12:30:00.000Z', reason: 'old', at: '2026-01-01T12:00:00.000Z', silenceId: 's2' },
    });
    await render(VIEWER, [alert, expired]);
    expect(row(alert).getAttribute('data-acknowledged')).toBe('true');
    expect(row(alert).querySelector('[data-testid=alert-acknowledged]')?.textContent).toContain('olivia');
    expect(row(alert).querySelector('[data-testid=alert-acknowledged]')?.textContent).toContain('looking');
    const silenced = row(alert).querySelector('[data-testid=alert-silenced]');
    expect(silenced?.textContent).toContain('admin');
    expect(silenced?.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-01T15:00:00.000Z');
    // A silence that has run out is not shown as one.
    expect(row(expired).querySelector('[data-testid=alert-silenced]')).toBeNull();
    expect(row(expired).getAttribute('data-silenced')).toBeNull();
  });

  it('gives a viewer no ack or silence buttons, and says why', async () => {
    await render(VIEWER, [alertView()]);
    expect(qa('[data-testid=alert-ack]')).toHaveLength(0);
    expect(qa('[data-testid=alert-silence]')).toHaveLength(0);
    expect(q('[data-testid=alerts-read-only]')?.textContent).toContain('role "viewer" lacks alerts.ack');
  });

  it('offers no actions in replay mode, even to an admin', async () => {
    await render(ADMIN, [alertView()], 'replay');
    expect(qa('[data-testid=alert-ack]')).toHaveLength(0);
    expect(q('[data-testid=alerts-read-only]')).toBeNull();
  });

  it('offers no actions in kiosk mode (a wall display)', async () => {
    await render(OPERATOR, [alertView()], 'live', true);
    expect(qa('[data-testid=alert-ack]')).toHaveLength(0);
    expect(qa('[data-testid=alert-silence]')).toHaveLength(0);
    expect(q('[data-testid=alerts-read-only]')).toBeNull();
  });

  it('offers ack only on firing, unacknowledged alerts', async () => {
    const acked = alertView({ acknowledged: { by: 'x', comment: '', at: '2026-01-01T12:10:00.000Z' } });
    const resolved = alertView({ state: 'resolved', resolvedAt: '2026-01-01T12:20:00.000Z' });
    await render(OPERATOR, [acked, resolved]);
    expect(row(acked).querySelector('[data-testid=alert-ack]')).toBeNull();
    expect(row(acked).querySelector('[data-testid=alert-silence]')).not.toBeNull();
    expect(row(resolved).querySelector('[data-testid=alert-silence]')).toBeNull();
  });

  it('lets an operator acknowledge through the dialog with a comment (and the CSRF header)', async () => {
    const alert = alertView();
    await render(OPERATOR, [alert]);
    row(alert).querySelector<HTMLButtonElement>('[data-testid=alert-ack]')!.click();
    await settle();
    expect(inOverlay('[data-testid=dialog-alert-message]')?.textContent).toBe(alert.message);
    const comment = inOverlay('[data-testid=dialog-comment]') as HTMLTextAreaElement;
    comment.value = '  checking the host  ';
    comment.dispatchEvent(new Event('input'));
    (inOverlay('[data-testid=dialog-confirm]') as HTMLButtonElement).click();
    await settle();
    const request = http.expectOne(`/api/alerts/${alert.alertId}/ack`);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ comment: 'checking the host' });
    expect(request.request.headers.get(CSRF_HEADER)).toBe('csrf-1');
    request.flush({ ...alert, acknowledged: { by: 'operator', comment: 'checking the host', at: '2026-01-01T13:00:00.000Z' } });
    await settle();
    expect(inOverlay('[data-testid=acknowledge-dialog]')).toBeNull();
  });

  it('sends nothing when the dialog is cancelled', async () => {
    const alert = alertView();
    await render(OPERATOR, [alert]);
    row(alert).querySelector<HTMLButtonElement>('[data-testid=alert-ack]')!.click();
    await settle();
    (inOverlay('[data-testid=dialog-cancel]') as HTMLButtonElement).click();
    await settle();
    http.expectNone(`/api/alerts/${alert.alertId}/ack`);
  });

  it('silences for the chosen duration; without a comment the reason says how long', async () => {
    const alert = alertView();
    await render(ADMIN, [alert]);
    row(alert).querySelector<HTMLButtonElement>('[data-testid=alert-silence]')!.click();
    await settle();
    const fourHours = document.body.querySelector<HTMLInputElement>('[data-testid=silence-duration][data-ms="14400000"]')!;
    fourHours.click();
    const before = Date.now();
    (inOverlay('[data-testid=dialog-confirm]') as HTMLButtonElement).click();
    await settle();
    const request = http.expectOne(`/api/alerts/${alert.alertId}/silence`);
    const body = request.request.body as { until: string; reason: string };
    expect(body.reason).toBe('silenced for 4 hours from the dashboard');
    const until = Date.parse(body.until);
    expect(until).toBeGreaterThanOrEqual(before + 4 * 3_600_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 4 * 3_600_000);
    request.flush(alert);
    await settle();
  });

  it('shows an API refusal in a snack bar', async () => {
    const alert = alertView();
    await render(OPERATOR, [alert]);
    row(alert).querySelector<HTMLButtonElement>('[data-testid=alert-ack]')!.click();
    await settle();
    (inOverlay('[data-testid=dialog-confirm]') as HTMLButtonElement).click();
    await settle();
    http
      .expectOne(`/api/alerts/${alert.alertId}/ack`)
      .flush(
        { statusCode: 403, error: 'Forbidden', message: 'role "operator" lacks alerts.ack' },
        { status: 403, statusText: 'Forbidden' },
      );
    await settle();
    expect(document.body.querySelector('.mat-mdc-snack-bar-container')?.textContent).toContain(
      'Could not acknowledge cpu-high on host: 403 Forbidden: role "operator" lacks alerts.ack',
    );
  });

  it('opens the timeline on click (keyboard-usable button) with a replay link for admins only', async () => {
    const alert = alertView();
    await render(ADMIN, [alert]);
    const open = row(alert).querySelector<HTMLButtonElement>('[data-testid=alert-open]')!;
    expect(open.getAttribute('aria-expanded')).toBe('false');
    open.click();
    await fixture.whenStable();
    expect(open.getAttribute('aria-expanded')).toBe('true');
    expect(row(alert).querySelector('[data-testid=alert-timeline]')).not.toBeNull();
    expect(row(alert).querySelector('[data-testid=alert-replay-link]')).not.toBeNull();
    open.click();
    await fixture.whenStable();
    expect(row(alert).querySelector('[data-testid=alert-timeline]')).toBeNull();
  });

  it('shows the timeline without a replay link to an operator', async () => {
    const alert = alertView();
    await render(OPERATOR, [alert]);
    row(alert).querySelector<HTMLButtonElement>('[data-testid=alert-open]')!.click();
    await fixture.whenStable();
    expect(row(alert).querySelector('[data-testid=alert-timeline]')).not.toBeNull();
    expect(row(alert).querySelector('[data-testid=alert-replay-link]')).toBeNull();
  });
});

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { alertView } from '../../../testing/alerts';
import { signInAs, testDashboardSource } from '../../../testing/session';
import { VIEWER } from '../../../testing/users';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { AlertsPageComponent } from './alerts-page.component';

const NOW = Date.parse('2026-01-01T13:00:00.000Z');

describe('AlertsPageComponent', () => {
  const critical = alertView({ severity: 'critical' });
  const warning = alertView({ severity: 'warning' });
  const resolved = alertView({ severity: 'critical', state: 'resolved', resolvedAt: '2026-01-01T12:30:00.000Z' });
  let harness: RouterTestingHarness;

  const shown = () =>
    Array.from(harness.routeNativeElement!.querySelectorAll('[data-testid=alert-row]')).map((row) => row.getAttribute('data-alert-id'));
  const select = (testId: string) => harness.routeNativeElement!.querySelector<HTMLSelectElement>(`[data-testid=${testId}]`)!;

  async function choose(testId: string, value: string): Promise<void> {
    select(testId).value = value;
    select(testId).dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([{ path: 'alerts', component: AlertsPageComponent }]),
        { provide: DASHBOARD_SOURCE, useValue: testDashboardSource('live', NOW, [critical, warning, resolved]) },
      ],
    });
    await signInAs(TestBed.inject(HttpTestingController), VIEWER);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => TestBed.resetTestingModule());

  it('shows every alert without filters, and narrows by state and severity (kept in the URL)', async () => {
    await harness.navigateByUrl('/alerts');
    expect(shown()).toHaveLength(3);
    await choose('alert-severity-filter', 'critical');
    expect(shown()).toEqual([critical.alertId, resolved.alertId]);
    await choose('alert-state-filter', 'resolved');
    expect(shown()).toEqual([resolved.alertId]);
    expect(TestBed.inject(Router).url).toBe('/alerts?severity=critical&state=resolved');
    await choose('alert-severity-filter', '');
    expect(TestBed.inject(Router).url).toBe('/alerts?state=resolved');
  });

  it('opens with the filters of the URL selected', async () => {
    await harness.navigateByUrl('/alerts?state=firing&severity=warning');
    expect(shown()).toEqual([warning.alertId]);
    expect(select('alert-state-filter').value).toBe('firing');
    expect(select('alert-severity-filter').value).toBe('warning');
  });

  it('ignores values it does not know', async () => {
    await harness.navigateByUrl('/alerts?state=bogus&severity=loud');
    expect(shown()).toHaveLength(3);
  });
});

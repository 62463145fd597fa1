import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ALERT_SEVERITIES, ALERT_STATE_FILTERS, SEVERITY_LABELS, type AlertStateFilter } from './alert-list';
import { AlertsPanelComponent } from './alerts-panel.component';
import { SilencesPanelComponent } from './silences-panel.component';

const STATE_LABELS: Record<AlertStateFilter, string> = {
  firing: 'Firing',
  resolved: 'Resolved',
  acknowledged: 'Acknowledged',
  silenced: 'Silenced',
};

/** The alerts panel full-width, with state and severity filters (kept in the URL: `?state=&severity=`), and the matcher silences. */
@Component({
  selector: 'vg-alerts-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AlertsPanelComponent, SilencesPanelComponent, RouterLink],
  templateUrl: './alerts-page.component.html',
  styleUrl: './alerts-page.component.css',
})
export class AlertsPageComponent {
  protected readonly states = ALERT_STATE_FILTERS;
  protected readonly stateLabels = STATE_LABELS;
  protected readonly severities = ALERT_SEVERITIES;
  protected readonly severityLabels = SEVERITY_LABELS;

  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly query = toSignal(this.route.queryParamMap, { initialValue: this.route.snapshot.queryParamMap });

  protected readonly state = computed(() => ALERT_STATE_FILTERS.find((choice) => choice === this.query().get('state')));
  protected readonly severity = computed(() => ALERT_SEVERITIES.find((choice) => choice === this.query().get('severity')));

  protected setState(value: string): void {
    this.setQuery('state', value);
  }

  protected setSeverity(value: string): void {
    this.setQuery('severity', value);
  }

  /** An empty choice removes the parameter; other parameters (kiosk, …) stay. */
  private setQuery(key: 'state' | 'severity', value: string): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { [key]: value === '' ? null : value },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }
}

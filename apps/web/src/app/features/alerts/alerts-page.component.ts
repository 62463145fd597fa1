import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
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
  imports: [AlertsPanelComponent, SilencesPanelComponent],
  template: `
    <div class="page">
      <h1 class="sr-only">Alerts</h1>
      <form class="filters" aria-label="Alert filters" (submit)="$event.preventDefault()">
        <label for="alert-state-filter">State</label>
        <select id="alert-state-filter" data-testid="alert-state-filter" (change)="setState($any($event.target).value)">
          <option value="" [selected]="state() === undefined">All states</option>
          @for (choice of states; track choice) {
            <option [value]="choice" [selected]="state() === choice">{{ stateLabels[choice] }}</option>
          }
        </select>
        <label for="alert-severity-filter">Severity</label>
        <select id="alert-severity-filter" data-testid="alert-severity-filter" (change)="setSeverity($any($event.target).value)">
          <option value="" [selected]="severity() === undefined">All severities</option>
          @for (choice of severities; track choice) {
            <option [value]="choice" [selected]="severity() === choice">{{ severityLabels[choice] }}</option>
          }
        </select>
      </form>
      <vg-alerts-panel [state]="state()" [severity]="severity()" />
      <vg-silences-panel />
    </div>
  `,
  styles: `
    .page {
      display: grid;
      gap: 1rem;
      padding: 1.5rem;
      width: 100%;
      max-width: 90rem;
      margin: 0 auto;
    }
    .filters {
      display: flex;
      gap: 0.5rem 0.75rem;
      align-items: center;
      flex-wrap: wrap;
    }
    label {
      font-size: 0.85rem;
      color: var(--text-muted);
    }
    select {
      font: inherit;
      font-size: 0.875rem;
      padding: 0.3rem 0.5rem;
      border-radius: 6px;
      border: 1px solid var(--border);
      background: var(--surface-2);
      color: var(--text);
    }
  `,
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

import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import type { AlertSeverity } from '@vigil/shared';
import { ALERT_SEVERITIES, ALERT_STATE_FILTERS, SEVERITY_LABELS, type AlertStateFilter } from './alert-list';
import { AlertsPanelComponent } from './alerts-panel.component';

const STATE_LABELS: Record<AlertStateFilter, string> = {
  firing: 'Firing',
  resolved: 'Resolved',
  acknowledged: 'Acknowledged',
  silenced: 'Silenced',
};

/** The alerts panel full-width, with state and severity filters. */
@Component({
  selector: 'vg-alerts-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AlertsPanelComponent],
  template: `
    <div class="page">
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
    </div>
  `,
  styles: `
    .page { display: grid; gap: 1rem; padding: 1.5rem; width: 100%; max-width: 90rem; margin: 0 auto; }
    .filters { display: flex; gap: 0.5rem 0.75rem; align-items: center; flex-wrap: wrap; }
    label { font-size: 0.85rem; color: var(--text-muted); }
    select {
      font: inherit; font-size: 0.875rem; padding: 0.3rem 0.5rem; border-radius: 6px;
      border: 1px solid var(--border); background: var(--surface-2); color: var(--text);
    }
  `,
})
export class AlertsPageComponent {
  protected readonly states = ALERT_STATE_FILTERS;
  protected readonly stateLabels = STATE_LABELS;
  protected readonly severities = ALERT_SEVERITIES;
  protected readonly severityLabels = SEVERITY_LABELS;

  protected readonly state = signal<AlertStateFilter | undefined>(undefined);
  protected readonly severity = signal<AlertSeverity | undefined>(undefined);

  protected setState(value: string): void {
    this.state.set(ALERT_STATE_FILTERS.find((choice) => choice === value));
  }

  protected setSeverity(value: string): void {
    this.severity.set(ALERT_SEVERITIES.find((choice) => choice === value));
  }
}

import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Placeholder until this feature is built (work in progress in this commit series). */
@Component({
  selector: 'vg-alerts-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p>Alerts</p>`,
})
export class AlertsPageComponent {}

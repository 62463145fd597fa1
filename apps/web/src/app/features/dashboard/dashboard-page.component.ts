import { ChangeDetectionStrategy, Component } from '@angular/core';
import { DashboardViewComponent } from './dashboard-view.component';

/** Route '': the live dashboard (DASHBOARD_SOURCE's default is the app's stream). */
@Component({
  selector: 'vg-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DashboardViewComponent],
  templateUrl: './dashboard-page.component.html',
})
export class DashboardPageComponent {}

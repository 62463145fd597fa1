import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

/** Placeholder: the header (environment switcher, connection, user) and navigation go here. */
@Component({
  selector: 'vg-app-layout',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet],
  template: `<router-outlet />`,
})
export class AppLayoutComponent {}

import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { KioskService } from './core/kiosk.service';
import { ThemeService } from './core/theme.service';

@Component({
  selector: 'vg-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet],
  templateUrl: './app.component.html',
})
export class AppComponent {
  constructor() {
    // Both apply themselves to <html> from the first page on (the login page too).
    inject(ThemeService);
    inject(KioskService);
  }
}

import { ChangeDetectionStrategy, Component, DOCUMENT, computed, inject, signal } from '@angular/core';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { describeHttpError } from '../../core/http-error';
import { EnvironmentService } from '../../core/environment.service';
import { KIOSK_PARAM, KioskService } from '../../core/kiosk.service';
import { ReplayInfoService } from '../../core/replay-info.service';
import { SessionService } from '../../core/session.service';
import { StreamService } from '../../core/stream.service';
import { ConnectionStatusComponent } from '../../ui/connection-status.component';
import { EnvironmentSwitcherComponent } from './environment-switcher.component';
import { LiveAnnouncementsDirective } from './live-announcements.directive';
import { navItemsFor, navTestId } from './nav-items';
import { ThemeToggleComponent } from './theme-toggle.component';

/**
 * The signed-in frame: header (brand, pages, environment switcher, connection,
 * user, theme, sign out) over the page. In kiosk mode the header keeps only what a
 * wall display needs to read, plus a way out.
 */
@Component({
  selector: 'vg-app-layout',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatToolbarModule,
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    ConnectionStatusComponent,
    EnvironmentSwitcherComponent,
    ThemeToggleComponent,
    LiveAnnouncementsDirective,
  ],
  templateUrl: './app-layout.component.html',
  styleUrl: './app-layout.component.css',
})
export class AppLayoutComponent {
  protected readonly stream = inject(StreamService);
  protected readonly session = inject(SessionService);
  protected readonly environments = inject(EnvironmentService);
  protected readonly kiosk = inject(KioskService);
  private readonly document = inject(DOCUMENT);

  /** On a review server nothing is live: no stream to show, no services to list, no session to end. */
  protected readonly review = inject(ReplayInfoService).review;
  protected readonly nav = computed(() => navItemsFor(this.session.user(), this.review()));
  protected readonly navTestId = navTestId;
  protected readonly kioskParams = { [KIOSK_PARAM]: 1 };
  protected readonly signingOut = signal(false);
  protected readonly environmentsError = signal<string | null>(null);

  constructor() {
    this.environments.load().subscribe({
      error: (error: unknown) => {
        this.environmentsError.set(describeHttpError(error));
      },
    });
  }

  protected signOut(): void {
    if (this.signingOut()) return;
    this.signingOut.set(true);
    void this.session.logout().finally(() => {
      this.signingOut.set(false);
    });
  }

  protected exitKiosk(): void {
    void this.kiosk.exit();
  }

  /** The skip link: focus the page's main region without changing the route. */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.document.getElementById('main')?.focus();
  }
}

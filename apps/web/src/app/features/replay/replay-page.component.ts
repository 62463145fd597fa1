import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink, type ParamMap } from '@angular/router';
import { can, type ReplayMarker } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { describeHttpError } from '../../core/http-error';
import { AlertRulesService } from '../../core/alert-rules.service';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { DashboardViewComponent } from '../dashboard/dashboard-view.component';
import { EnvironmentService } from '../../core/environment.service';
import { ReplayInfoService } from '../../core/replay-info.service';
import { SessionService } from '../../core/session.service';
import { ReplayBannerComponent } from './replay-banner.component';
import { ReplayControlsComponent } from './replay-controls.component';
import { ReplayMarkersService } from './replay-markers.service';
import { ReplayPlayer } from './replay-player';
import { ReplayTimelineComponent } from './replay-timeline.component';
import { parseWindow, type TimeWindow } from './time-window';
import { WindowPickerComponent } from './window-picker.component';

/**
 * /replay?from=ISO&to=ISO[&speed=N]: a past window played into the same dashboard
 * components as live (this page provides the player as their DASHBOARD_SOURCE), under
 * the REPLAY banner. The window lives in the query, so "replay around" links and
 * reloads land on the same replay.
 */
@Component({
  selector: 'vg-replay-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    DashboardViewComponent,
    ReplayBannerComponent,
    ReplayControlsComponent,
    ReplayTimelineComponent,
    WindowPickerComponent,
  ],
  // Its own alert rules too: the cards are judged by the rules at the replay clock, not today's.
  providers: [ReplayPlayer, { provide: DASHBOARD_SOURCE, useExisting: ReplayPlayer }, AlertRulesService],
  templateUrl: './replay-page.component.html',
  styleUrl: './replay-page.component.css',
})
export class ReplayPageComponent {
  protected readonly player = inject(ReplayPlayer);
  private readonly info = inject(ReplayInfoService);
  private readonly session = inject(SessionService);
  private readonly environments = inject(EnvironmentService);
  private readonly markersService = inject(ReplayMarkersService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly allowed = computed(() => can(this.session.user(), { kind: 'capability', capability: 'replay' }));
  protected readonly reviewFile = computed(() => {
    const info = this.info.info();
    return info?.mode === 'review' ? (info.bundle?.file ?? 'bundle') : null;
  });
  protected readonly mayOpenIncident = computed(
    () => this.reviewFile() === null && can(this.session.user(), { kind: 'capability', capability: 'incidents.manage' }),
  );
  /** /incidents?open=1…: the form prefilled with the window being replayed. */
  protected incidentQuery(window: TimeWindow): Record<string, string | number> {
    return { open: 1, from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(), origin: 'replay' };
  }
  protected readonly markers = signal<ReplayMarker[]>([]);
  protected readonly markersError = signal<string | null>(null);
  protected readonly markersTruncated = signal(false);
  /** What was wrong with the window or speed in the address. */
  protected readonly queryError = signal<string | null>(null);

  /** What can be replayed: the bundle's window in review mode, else the log's start up to now. */
  protected readonly bounds = (): TimeWindow => {
    const info = this.info.info();
    const from = info ? Date.parse(info.from) : Number.NaN;
    const to = info?.mode === 'review' ? Date.parse(info.to) : Date.now();
    return { from: Number.isNaN(from) ? 0 : from, to };
  };

  private readonly query = toSignal(this.route.queryParamMap);
  /** The from/to (as asked) the player has loaded, so a speed change in the address does not restart it. */
  private loadedKey: string | null = null;
  private markersSubscription: Subscription | null = null;
  private destroyed = false;

  constructor() {
    effect(() => {
      const query = this.query();
      if (!query || !this.allowed()) return;
      // The answer may come after the page is gone: a destroyed page must not open a stream.
      untracked(() => {
        void this.info.load().then(() => {
          if (!this.destroyed) this.applyQuery(query);
        });
      });
    });
    effect(() => {
      const environment = this.environments.selected();
      untracked(() => {
        this.player.setEnvironment(environment);
        const window = this.player.window();
        if (window) this.loadMarkers(window);
      });
    });
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.markersSubscription?.unsubscribe();
    });
  }

  /** A window from the picker: play it and put it in the address. */
  protected choose(window: TimeWindow): void {
    const from = new Date(window.from).toISOString();
    const to = new Date(window.to).toISOString();
    this.queryError.set(null);
    this.load(window, `${from}/${to}`);
    void this.router.navigate([], { relativeTo: this.route, queryParams: { from, to }, queryParamsHandling: 'merge' });
  }

  protected changeSpeed(speed: number): void {
    if (!this.player.setSpeed(speed)) return;
    void this.router.navigate([], { relativeTo: this.route, queryParams: { speed }, queryParamsHandling: 'merge', replaceUrl: true });
  }

  private applyQuery(query: ParamMap): void {
    const speedText = query.get('speed');
    if (speedText !== null && !this.player.setSpeed(Number(speedText))) return;
    const fromText = query.get('from');
    const toText = query.get('to');
    const info = this.info.info();
    if (fromText === null && toText === null) {
      // A review server has one window worth seeing: the bundle's.
      if (info?.mode === 'review' && this.loadedKey === null) this.load(this.bounds(), 'bundle');
      return;
    }
    const result = parseWindow(fromText, toText, this.bounds());
    if (!result.ok) {
      this.queryError.set(result.error);
      return;
    }
    this.queryError.set(null);
    // Keyed by the address, not the clamped window: "up to now" moves, the request does not.
    const key = `${fromText}/${toText}`;
    if (key !== this.loadedKey) this.load(result.window, key);
  }

  private load(window: TimeWindow, key: string): void {
    this.loadedKey = key;
    this.player.load(window, { environment: this.environments.selected() });
    this.loadMarkers(window);
  }

  private loadMarkers(window: TimeWindow): void {
    this.markersSubscription?.unsubscribe();
    this.markersError.set(null);
    this.markersSubscription = this.markersService.load(window, this.environments.selected()).subscribe({
      next: ({ markers, truncated }) => {
        this.markers.set(markers);
        this.markersTruncated.set(truncated);
      },
      error: (error: unknown) => {
        this.markers.set([]);
        this.markersTruncated.set(false);
        this.markersError.set(describeHttpError(error));
      },
    });
  }
}

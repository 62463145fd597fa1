import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { can, INCIDENT_STATUSES, type IncidentStatus, type IncidentTimeline, type TimelineRow } from '@vigil/shared';
import { AlertRulesService } from '../../core/alert-rules.service';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { describeHttpError } from '../../core/http-error';
import { ReplayInfoService } from '../../core/replay-info.service';
import { SessionService } from '../../core/session.service';
import { DashboardViewComponent } from '../dashboard/dashboard-view.component';
import { ReplayBannerComponent } from '../replay/replay-banner.component';
import { ReplayControlsComponent } from '../replay/replay-controls.component';
import { ReplayPlayer } from '../replay/replay-player';
import { IncidentsApiService } from './incidents-api.service';
import { formatDuration, fromLocalInput, toLocalInput } from './local-time';

/**
 * /incidents/:id: the incident's timeline beside the replayed dashboard of its
 * window (the replay page's player and components). A row seeks the player to its
 * moment; notes are written about a moment (the replay clock by default); rows can be
 * pinned with a reason; the postmortem draft downloads from the API.
 */
@Component({
  selector: 'vg-incident-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, DashboardViewComponent, ReplayBannerComponent, ReplayControlsComponent],
  providers: [ReplayPlayer, { provide: DASHBOARD_SOURCE, useExisting: ReplayPlayer }, AlertRulesService],
  templateUrl: './incident-page.component.html',
  styleUrl: './incident-page.component.css',
})
export class IncidentPageComponent {
  private readonly params = toSignal(inject(ActivatedRoute).paramMap);
  /** The route's :id. */
  protected readonly id = computed(() => this.params()?.get('id') ?? '');

  protected readonly player = inject(ReplayPlayer);
  private readonly api = inject(IncidentsApiService);
  private readonly session = inject(SessionService);
  private readonly info = inject(ReplayInfoService);

  protected readonly statuses = INCIDENT_STATUSES;
  protected readonly timeline = signal<IncidentTimeline | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  protected readonly review = computed(() => this.info.info()?.mode === 'review');
  protected readonly canManage = computed(
    () => !this.review() && can(this.session.user(), { kind: 'capability', capability: 'incidents.manage' }),
  );
  protected readonly canReplay = computed(() => can(this.session.user(), { kind: 'capability', capability: 'replay' }));
  protected readonly duration = computed(() => {
    const incident = this.timeline()?.incident;
    if (!incident) return '';
    const end = incident.to ? Date.parse(incident.to) : incident.resolvedAt ? Date.parse(incident.resolvedAt) : Date.now();
    return formatDuration(end - Date.parse(incident.from));
  });
  protected readonly postmortemUrl = computed(() => this.api.postmortemUrl(this.id()));

  protected readonly noteText = signal('');
  protected readonly noteAt = signal('');
  protected readonly noteAmends = signal('');
  protected readonly pinning = signal<TimelineRow | null>(null);
  protected readonly pinReason = signal('');
  protected readonly commander = signal('');
  /** The row last sought to, shown as current. */
  protected readonly selected = signal<number | null>(null);
  private loadedWindow: string | null = null;

  constructor() {
    effect(() => {
      const id = this.id();
      if (!id) return;
      untracked(() => {
        void this.info.load().then(() => {
          this.reload(id);
        });
      });
    });
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
  }

  protected rowTestId(row: TimelineRow): string {
    return `timeline-row-${row.kind}`;
  }

  /** Seeks the replayed dashboard to the row's moment, and offers that moment for a note. */
  protected seek(row: TimelineRow): void {
    this.selected.set(row.position);
    this.player.seek(Date.parse(row.at));
    this.noteAt.set(toLocalInput(Date.parse(row.at)));
  }

  protected useClock(): void {
    this.noteAt.set(toLocalInput(this.player.now()));
  }

  protected addNote(event: Event): void {
    event.preventDefault();
    const at = fromLocalInput(this.noteAt()) ?? new Date(this.player.now() || Date.now()).toISOString();
    const amends = this.noteAmends();
    this.api.note(this.id(), { text: this.noteText().trim(), at, ...(amends ? { amends } : {}) }).subscribe({
      next: () => {
        this.noteText.set('');
        this.noteAmends.set('');
        this.reload(this.id());
      },
      error: (error: unknown) => {
        this.actionError.set(describeHttpError(error));
      },
    });
  }

  protected pin(event: Event): void {
    event.preventDefault();
    const row = this.pinning();
    if (!row) return;
    this.api.pin(this.id(), { position: row.position, reason: this.pinReason().trim() }).subscribe({
      next: () => {
        this.pinning.set(null);
        this.pinReason.set('');
        this.reload(this.id());
      },
      error: (error: unknown) => {
        this.actionError.set(describeHttpError(error));
      },
    });
  }

  protected setStatus(status: string): void {
    this.change({ status: status as IncidentStatus });
  }

  protected setCommander(event: Event): void {
    event.preventDefault();
    this.change({ commander: this.commander().trim() || null });
  }

  private change(body: Parameters<IncidentsApiService['patch']>[1]): void {
    this.api.patch(this.id(), body).subscribe({
      next: () => {
        this.reload(this.id());
      },
      error: (error: unknown) => {
        this.actionError.set(describeHttpError(error));
      },
    });
  }

  private reload(id: string): void {
    this.api.timeline(id).subscribe({
      next: (timeline) => {
        this.timeline.set(timeline);
        this.error.set(null);
        this.actionError.set(null);
        this.commander.set(timeline.incident.commander ?? '');
        const { from, to } = timeline.incident;
        const window = { from: Date.parse(from), to: to ? Date.parse(to) : Date.now() };
        const key = `${from}/${to ?? ''}`;
        if (this.canReplay() && key !== this.loadedWindow) {
          this.loadedWindow = key;
          this.player.load(window, { autoplay: false });
          if (!this.noteAt()) this.noteAt.set(toLocalInput(window.from));
        }
      },
      error: (error: unknown) => {
        this.error.set(describeHttpError(error));
      },
    });
  }
}

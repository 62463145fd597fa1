import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { can, SEVERITIES, type IncidentOrigin, type Severity } from '@vigil/shared';
import { describeHttpError } from '../../core/http-error';
import { ReplayInfoService } from '../../core/replay-info.service';
import { SessionService } from '../../core/session.service';
import { IncidentsApiService, type IncidentListItem } from './incidents-api.service';
import { formatDuration, fromLocalInput, toLocalInput } from './local-time';

const ORIGINS: readonly IncidentOrigin['kind'][] = ['alert', 'command', 'replay'];

/**
 * /incidents: every incident with status, severity and duration, and the "open an
 * incident" form, which links from an alert, an audit row or the replay page prefill
 * (`?open=1&from=&to=&title=&origin=alert&originId=`).
 */
@Component({
  selector: 'vg-incidents-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink],
  templateUrl: './incidents-page.component.html',
  styleUrls: ['../../ui/data-table.css', './incidents-page.component.css'],
})
export class IncidentsPageComponent {
  private readonly api = inject(IncidentsApiService);
  private readonly session = inject(SessionService);
  private readonly info = inject(ReplayInfoService);
  private readonly router = inject(Router);
  private readonly query = toSignal(inject(ActivatedRoute).queryParamMap);

  protected readonly severities = SEVERITIES;
  protected readonly incidents = signal<IncidentListItem[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly formError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly canManage = computed(
    () => this.info.info()?.mode !== 'review' && can(this.session.user(), { kind: 'capability', capability: 'incidents.manage' }),
  );
  protected readonly duration = formatDuration;

  protected readonly title = signal('');
  protected readonly severity = signal<Severity>('error');
  protected readonly from = signal(toLocalInput(Date.now() - 30 * 60_000));
  protected readonly to = signal('');
  private origin: IncidentOrigin | undefined;
  protected readonly formOpen = signal(false);

  constructor() {
    void this.info.load();
    const query = this.query();
    if (query?.get('open') === '1') {
      this.formOpen.set(true);
      this.title.set(query.get('title') ?? '');
      const from = Date.parse(query.get('from') ?? '');
      const to = Date.parse(query.get('to') ?? '');
      if (Number.isFinite(from)) this.from.set(toLocalInput(from));
      if (Number.isFinite(to) && to < Date.now()) this.to.set(toLocalInput(to));
      const kind = query.get('origin') as IncidentOrigin['kind'] | null;
      const id = query.get('originId');
      if (kind && ORIGINS.includes(kind)) this.origin = { kind, ...(id ? { id } : {}) };
    }
    this.reload();
  }

  protected reload(): void {
    this.api.list().subscribe({
      next: ({ incidents }) => {
        this.incidents.set(incidents);
        this.error.set(null);
      },
      error: (error: unknown) => {
        this.error.set(describeHttpError(error));
      },
    });
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement | HTMLSelectElement).value;
  }

  protected submit(event: Event): void {
    event.preventDefault();
    const from = fromLocalInput(this.from());
    const to = this.to() ? fromLocalInput(this.to()) : undefined;
    if (!from || to === null) {
      this.formError.set('Give the start (and the end, if known) as a date and time.');
      return;
    }
    this.busy.set(true);
    this.api
      .open({
        title: this.title().trim(),
        severity: this.severity(),
        from,
        ...(to ? { to } : {}),
        ...(this.origin ? { origin: this.origin } : {}),
      })
      .subscribe({
        next: (incident) => {
          this.busy.set(false);
          void this.router.navigate(['/incidents', incident.incidentId]);
        },
        error: (error: unknown) => {
          this.busy.set(false);
          this.formError.set(describeHttpError(error));
        },
      });
  }
}

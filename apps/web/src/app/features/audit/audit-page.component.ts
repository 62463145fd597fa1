import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { AUDIT_OUTCOMES, can, type AuditEntry, type AuditPage } from '@vigil/shared';
import { skip, type Subscription } from 'rxjs';
import { describeHttpError } from '../../core/http-error';
import { EnvironmentService } from '../../core/environment.service';
import { replayAround, type ReplayWindow } from '../../core/replay-window';
import { SessionService } from '../../core/session.service';
import { formatDuration } from '../../ui/display-format';
import { AuditApiService } from './audit-api.service';
import { FIRST_PAGE, currentCursor, nextPage, pageNumber, previousPage, type CursorTrail } from './audit-pager';
import {
  AUDIT_PAGE_SIZES,
  EMPTY_AUDIT_FILTERS,
  auditExportHref,
  auditFiltersProblem,
  auditListParams,
  type AuditFilters,
  type AuditPageSize,
} from './audit-query';
import { ChainVerificationComponent } from './chain-verification.component';

/**
 * The audit trail (capability audit.read): filters, a cursor-paged table of
 * commands (newest first), exports of everything the filters match, and the
 * event log's chain verification.
 */
@Component({
  selector: 'vg-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ChainVerificationComponent],
  templateUrl: './audit-page.component.html',
  styleUrl: './audit-page.component.css',
})
export class AuditPageComponent {
  private readonly api = inject(AuditApiService);
  private readonly session = inject(SessionService);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly environments = inject(EnvironmentService);

  protected readonly outcomes = AUDIT_OUTCOMES;
  protected readonly pageSizes = AUDIT_PAGE_SIZES;

  /** What the form holds; `applied` is what the table and exports show. The environment follows the header's. */
  protected readonly draft = signal<AuditFilters>({ ...EMPTY_AUDIT_FILTERS, environment: this.environments.selected() ?? '' });
  private readonly applied = signal<AuditFilters>(this.draft());
  protected readonly problem = signal<string | null>(null);
  protected readonly pageSize = signal<AuditPageSize>(AUDIT_PAGE_SIZES[0]);
  private readonly trail = signal<CursorTrail>(FIRST_PAGE);
  protected readonly pageNumber = computed(() => pageNumber(this.trail()));

  protected readonly page = signal<AuditPage | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);
  private request?: Subscription;

  protected readonly exportNdjson = computed(() => auditExportHref(this.applied(), 'ndjson'));
  protected readonly exportCsv = computed(() => auditExportHref(this.applied(), 'csv'));
  protected readonly mayReplay = computed(() => can(this.session.user(), { kind: 'capability', capability: 'replay' }));
  protected readonly mayOpenIncident = computed(() => can(this.session.user(), { kind: 'capability', capability: 'incidents.manage' }));

  constructor() {
    inject(DestroyRef).onDestroy(() => this.request?.unsubscribe());
    this.load();
    // A later switch in the header sets the environment filter (the first value is already in the draft).
    toObservable(this.environments.selected)
      .pipe(skip(1), takeUntilDestroyed())
      .subscribe((environment) => {
        this.followEnvironment(environment ?? '');
      });
  }

  protected setFilter(key: keyof AuditFilters, value: string): void {
    this.draft.update((filters) => ({ ...filters, [key]: value }));
  }

  protected apply(event?: Event): void {
    event?.preventDefault();
    const problem = auditFiltersProblem(this.draft());
    this.problem.set(problem);
    if (problem) return;
    this.applied.set(this.draft());
    this.trail.set(FIRST_PAGE);
    this.load();
  }

  protected clear(): void {
    this.draft.set(EMPTY_AUDIT_FILTERS);
    this.apply();
  }

  protected setPageSize(value: string): void {
    const size = AUDIT_PAGE_SIZES.find((choice) => String(choice) === value);
    if (size === undefined) return;
    this.pageSize.set(size);
    this.trail.set(FIRST_PAGE);
    this.load();
  }

  protected next(): void {
    const cursor = this.page()?.nextCursor ?? null;
    if (cursor === null || this.loading()) return;
    this.trail.update((trail) => nextPage(trail, cursor));
    this.load();
  }

  protected previous(): void {
    if (this.trail().length <= 1 || this.loading()) return;
    this.trail.update(previousPage);
    this.load();
  }

  /** /incidents?open=1…: the form prefilled with this command's window. */
  protected incidentQuery(entry: AuditEntry): Record<string, string | number> {
    const window = replayAround(entry.acceptedAt, entry.finishedAt, Date.now());
    return {
      open: 1,
      title: `${entry.type} ${entry.target}@${entry.environment}`,
      ...window,
      origin: 'command',
      originId: entry.commandId,
    };
  }

  protected replayWindow(entry: AuditEntry): ReplayWindow {
    return replayAround(entry.acceptedAt, entry.finishedAt, Date.now());
  }

  protected paramsText(entry: AuditEntry): string {
    return Object.keys(entry.params).length === 0 ? '' : JSON.stringify(entry.params);
  }

  protected duration(entry: AuditEntry): string {
    return formatDuration(entry.durationMs ?? undefined);
  }

  private followEnvironment(environment: string): void {
    this.draft.update((filters) => ({ ...filters, environment }));
    this.applied.update((filters) => ({ ...filters, environment }));
    this.trail.set(FIRST_PAGE);
    this.load();
  }

  private load(): void {
    this.request?.unsubscribe();
    this.loading.set(true);
    const params = auditListParams(this.applied(), this.pageSize(), currentCursor(this.trail()));
    this.request = this.api.page(params).subscribe({
      next: (page) => {
        this.page.set(page);
        this.loadError.set(null);
        this.loading.set(false);
      },
      error: (error: unknown) => {
        const message = describeHttpError(error);
        this.loadError.set(message);
        this.loading.set(false);
        this.snackBar.open(`Could not load the audit trail: ${message}`, 'Dismiss', { duration: 8_000, politeness: 'assertive' });
      },
    });
  }
}

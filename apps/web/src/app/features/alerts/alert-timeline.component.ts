import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AlertTimelineEntry, AlertView } from '@vigil/shared';
import { replayAround } from '../../core/replay-window';

const VERBS: Record<AlertTimelineEntry['type'], string> = {
  raised: 'Raised',
  acknowledged: 'Acknowledged',
  silenced: 'Silenced',
  resolved: 'Resolved',
};

/** One alert's history (raised, acknowledged, silenced, resolved: when and by whom) and a link to replay it. */
@Component({
  selector: 'vg-alert-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink],
  template: `
    <ol class="timeline" data-testid="alert-timeline" aria-label="Alert timeline">
      @for (entry of alert().timeline; track entry.position) {
        <li data-testid="timeline-entry" [attr.data-type]="entry.type">
          <time [attr.datetime]="entry.at">{{ entry.at | date: 'yyyy-MM-dd HH:mm:ss' }}</time>
          <strong>{{ verbs[entry.type] }}</strong>
          @if (entry.by) {
            <span data-testid="timeline-by">by {{ entry.by }}</span>
          }
          @if (entry.until) {
            <span
              >until <time [attr.datetime]="entry.until">{{ entry.until | date: 'yyyy-MM-dd HH:mm' }}</time></span
            >
          }
          @if (entry.value !== undefined && entry.value !== null) {
            <span class="muted">value {{ entry.value }}</span>
          }
          @if (entry.comment) {
            <q class="muted">{{ entry.comment }}</q>
          }
        </li>
      }
    </ol>
    @if (canReplay()) {
      <a class="replay" routerLink="/replay" [queryParams]="replayWindow()" data-testid="alert-replay-link">Replay around this alert</a>
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 0.5rem 0 0.25rem 1rem;
      border-left: 2px solid var(--border);
      margin: 0.4rem 0 0 0.5rem;
    }
    .timeline {
      margin: 0;
      padding: 0;
      list-style: none;
      display: grid;
      gap: 0.25rem;
      font-size: 0.85rem;
    }
    .timeline li {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
      align-items: baseline;
    }
    time {
      font-variant-numeric: tabular-nums;
      color: var(--text-muted);
    }
    .muted {
      color: var(--text-muted);
    }
    .replay {
      display: inline-block;
      margin-top: 0.5rem;
      font-size: 0.85rem;
      color: var(--info);
    }
  `,
})
export class AlertTimelineComponent {
  readonly alert = input.required<AlertView>();
  /** Epoch ms of "now": the end of the replay window while the alert still fires. */
  readonly now = input.required<number>();
  readonly canReplay = input(false);

  protected readonly verbs = VERBS;
  protected readonly replayWindow = computed(() => {
    const alert = this.alert();
    return replayAround(alert.startedAt, alert.resolvedAt, this.now());
  });
}

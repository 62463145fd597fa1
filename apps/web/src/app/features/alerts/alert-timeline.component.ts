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
  templateUrl: './alert-timeline.component.html',
  styleUrl: './alert-timeline.component.css',
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

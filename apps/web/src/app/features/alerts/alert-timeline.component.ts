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
  inhibited: 'Inhibited',
  'ack-expired': 'Acknowledgement expired',
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
  readonly canOpenIncident = input(false);

  protected readonly verbs = VERBS;
  protected readonly replayWindow = computed(() => {
    const alert = this.alert();
    return replayAround(alert.startedAt, alert.resolvedAt, this.now());
  });
  /** /incidents?open=1…: the form prefilled with this alert's window and message. */
  protected readonly incidentQuery = computed(() => {
    const alert = this.alert();
    const startedAt = Date.parse(alert.startedAt);
    return {
      open: 1,
      title: alert.message.slice(0, 200),
      from: new Date(startedAt - 5 * 60_000).toISOString(),
      ...(alert.resolvedAt ? { to: alert.resolvedAt } : {}),
      origin: 'alert',
      originId: alert.alertId,
    };
  });
}

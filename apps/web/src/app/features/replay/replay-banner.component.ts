import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ReplayStatus } from './replay-player';
import type { TimeWindow } from './time-window';

const STATE_WORDS: Record<ReplayStatus, string> = {
  idle: 'no window',
  playing: 'playing',
  seeking: 'seeking',
  paused: 'paused',
  ended: 'ended',
  error: 'stopped',
};

/**
 * The unmistakable "this is the past" strip above a replayed dashboard: REPLAY (or
 * REVIEW · <bundle file> on a review server), the window, the replay clock, the speed
 * and whether it plays.
 */
@Component({
  selector: 'vg-replay-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './replay-banner.component.html',
  styleUrl: './replay-banner.component.css',
})
export class ReplayBannerComponent {
  /** The bundle file on a review server, else null (a replay of this server's log). */
  readonly reviewFile = input<string | null>(null);
  readonly window = input<TimeWindow | null>(null);
  readonly clock = input.required<number>();
  readonly speed = input.required<number>();
  readonly status = input.required<ReplayStatus>();

  protected readonly label = computed(() => {
    const file = this.reviewFile();
    return file ? `REVIEW · ${file}` : 'REPLAY';
  });
  protected readonly stateWord = computed(() => STATE_WORDS[this.status()]);

  protected iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}

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
  template: `
    <div class="banner" data-testid="replay-banner" [attr.data-state]="status()">
      <strong class="label" data-testid="replay-banner-label">{{ label() }}</strong>
      @if (window(); as w) {
        <span data-testid="replay-window" [attr.data-from]="iso(w.from)" [attr.data-to]="iso(w.to)">
          <span class="sr-only">Window </span>{{ w.from | date: 'MMM d, HH:mm:ss' }} – {{ w.to | date: 'MMM d, HH:mm:ss' }}
        </span>
        <span>
          <span class="muted">at</span>
          <time class="clock" data-testid="replay-clock" [attr.datetime]="iso(clock())">{{ clock() | date: 'HH:mm:ss' }}</time>
        </span>
      }
      <span data-testid="replay-speed"><span class="sr-only">Speed </span>{{ speed() }}×</span>
      <span class="state" role="status" data-testid="replay-state">{{ stateWord() }}</span>
    </div>
  `,
  styles: `
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1.25rem;
      padding: 0.55rem 1rem;
      border-radius: 8px;
      /* Stripes in the theme's scheme: the text keeps its contrast in light and dark. */
      --stripe-a: light-dark(#fff3d1, #3b2a05);
      --stripe-b: light-dark(#ffe9ad, #45320a);
      background: repeating-linear-gradient(135deg, var(--stripe-a), var(--stripe-a) 12px, var(--stripe-b) 12px, var(--stripe-b) 24px);
      border: 1px solid var(--warn);
      color: var(--text);
    }
    .label {
      color: var(--warn);
      letter-spacing: 0.12em;
      font-size: 1rem;
    }
    .clock {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    .muted {
      color: var(--text-muted);
    }
    .state {
      margin-left: auto;
      text-transform: uppercase;
      font-size: 0.8rem;
      letter-spacing: 0.06em;
    }
  `,
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

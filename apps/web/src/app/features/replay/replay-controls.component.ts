import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import type { ReplayStatus } from './replay-player';
import { REPLAY_SPEEDS } from './replay-speed';

/** Play or pause, and the speed (1× … 100×). */
@Component({
  selector: 'vg-replay-controls',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './replay-controls.component.html',
  styleUrl: './replay-controls.component.css',
})
export class ReplayControlsComponent {
  readonly status = input.required<ReplayStatus>();
  readonly speed = input.required<number>();
  /** False until a window is chosen. */
  readonly ready = input(true);
  /** Play or Pause pressed (not `play`/`pause`: those are DOM media events). */
  readonly playRequested = output();
  readonly pauseRequested = output();
  readonly speedChange = output<number>();

  /** The preset speeds, plus the current one when an address asked for another (e.g. 20×). */
  protected readonly speeds = computed<readonly number[]>(() => {
    const current = this.speed();
    return (REPLAY_SPEEDS as readonly number[]).includes(current) ? REPLAY_SPEEDS : [...REPLAY_SPEEDS, current].sort((a, b) => a - b);
  });
  protected readonly playing = computed(() => this.status() === 'playing' || this.status() === 'seeking');

  protected pickSpeed(event: Event): void {
    this.speedChange.emit(Number((event.target as HTMLSelectElement).value));
  }
}

import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import type { ReplayStatus } from './replay-player';
import { REPLAY_SPEEDS } from './replay-speed';

/** Play or pause, and the speed (1× … 100×). */
@Component({
  selector: 'vg-replay-controls',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="controls" role="group" aria-label="Playback">
      @if (playing()) {
        <button type="button" class="primary" data-testid="replay-pause" (click)="pause.emit()">Pause</button>
      } @else {
        <button type="button" class="primary" data-testid="replay-play" [disabled]="!ready()" (click)="play.emit()">
          {{ status() === 'ended' ? 'Play again' : 'Play' }}
        </button>
      }
      <label>
        Speed
        <select data-testid="replay-speed-select" [value]="speed()" (change)="pickSpeed($event)">
          @for (option of speeds(); track option) {
            <option [value]="option" [selected]="option === speed()">{{ option }}×</option>
          }
        </select>
      </label>
    </div>
  `,
  styles: `
    .controls {
      display: flex;
      align-items: center;
      gap: 0.75rem;
    }
    label {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      font-size: 0.85rem;
      color: var(--text-muted);
    }
    select {
      font: inherit;
      color: var(--text);
      background: var(--surface-2);
      border: 1px solid var(--border);
      border-radius: 6px;
      padding: 0.3rem 0.4rem;
    }
  `,
})
export class ReplayControlsComponent {
  readonly status = input.required<ReplayStatus>();
  readonly speed = input.required<number>();
  /** False until a window is chosen. */
  readonly ready = input(true);
  readonly play = output();
  readonly pause = output();
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

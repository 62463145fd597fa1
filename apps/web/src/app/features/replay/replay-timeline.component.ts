import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { REPLAY_MAX_MARKERS, type ReplayMarker } from '@vigil/shared';
import { placeMarkers } from './replay-markers';
import type { TimeWindow } from './time-window';

/** Scrubber steps: a second, so the keyboard moves in useful strides. */
const STEP_MS = 1_000;

/**
 * The window as a scrubber (a range input: drag or arrow keys to seek) with the alert,
 * command and deploy markers drawn on it, and the same markers as a list of buttons
 * that seek to them (the accessible way in).
 */
@Component({
  selector: 'vg-replay-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, DecimalPipe],
  template: `
    <div class="track">
      <div class="ticks" aria-hidden="true">
        @for (marker of placed(); track marker.kind + marker.ref + marker.position) {
          <span class="tick" [attr.data-kind]="marker.kind" [style.left.%]="marker.percent" [title]="marker.label"></span>
        }
      </div>
      <input
        type="range"
        data-testid="replay-scrubber"
        aria-label="Replay position"
        [min]="window().from"
        [max]="window().to"
        [step]="step"
        [value]="clock()"
        [attr.aria-valuetext]="clock() | date: 'yyyy-MM-dd HH:mm:ss'"
        (change)="seekTo($event)"
      />
      <div class="ends">
        <time [attr.datetime]="isoOf(window().from)">{{ window().from | date: 'MMM d, HH:mm:ss' }}</time>
        <time [attr.datetime]="isoOf(window().to)">{{ window().to | date: 'MMM d, HH:mm:ss' }}</time>
      </div>
    </div>
    @if (markersTruncated()) {
      <p class="muted" role="status" data-testid="replay-markers-truncated">
        Only the first {{ maxMarkers | number }} markers of this window are shown; pick a shorter window to see the rest.
      </p>
    }
    @if (markersError(); as problem) {
      <p class="muted" role="status" data-testid="replay-markers-error">Markers unavailable: {{ problem }}</p>
    } @else if (placed().length === 0) {
      <p class="muted" data-testid="replay-markers-empty">No alerts, commands or deploys in this window.</p>
    } @else {
      <ul class="markers" aria-label="Markers: seek to an alert, command or deploy" data-testid="replay-markers">
        @for (marker of placed(); track marker.kind + marker.ref + marker.position) {
          <li>
            <button
              type="button"
              data-testid="replay-marker"
              [attr.data-kind]="marker.kind"
              [attr.data-time]="marker.time"
              [attr.data-position]="marker.position"
              [attr.data-ref]="marker.ref"
              [attr.aria-label]="'Seek to ' + (marker.at | date: 'HH:mm:ss') + ': ' + marker.label"
              (click)="seek.emit(marker.at)"
            >
              <span class="kind" [attr.data-kind]="marker.kind">{{ marker.kind }}</span>
              <time [attr.datetime]="marker.time">{{ marker.at | date: 'HH:mm:ss' }}</time>
              <span class="label">{{ marker.label }}</span>
            </button>
          </li>
        }
      </ul>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .track {
      position: relative;
      padding-top: 0.9rem;
    }
    .ticks {
      position: absolute;
      top: 0;
      left: 0.5rem;
      right: 0.5rem;
      height: 0.8rem;
    }
    .tick {
      position: absolute;
      width: 3px;
      height: 100%;
      transform: translateX(-50%);
      border-radius: 1px;
      background: var(--info);
    }
    .tick[data-kind='alert'] {
      background: var(--err);
    }
    .tick[data-kind='deploy'] {
      background: var(--ok);
    }
    input[type='range'] {
      width: 100%;
      margin: 0;
    }
    .ends {
      display: flex;
      justify-content: space-between;
      font-size: 0.75rem;
      color: var(--text-muted);
    }
    .markers {
      list-style: none;
      margin: 0.6rem 0 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 0.35rem;
      max-height: 9rem;
      overflow: auto;
    }
    .markers button {
      display: inline-flex;
      gap: 0.4rem;
      align-items: baseline;
      padding: 0.2rem 0.6rem;
      font-size: 0.8rem;
    }
    .kind {
      font-size: 0.7rem;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: var(--info);
    }
    .kind[data-kind='alert'] {
      color: var(--err);
    }
    .kind[data-kind='deploy'] {
      color: var(--ok);
    }
    .muted {
      color: var(--text-muted);
      font-size: 0.85rem;
      margin: 0.5rem 0 0;
    }
  `,
})
export class ReplayTimelineComponent {
  readonly window = input.required<TimeWindow>();
  /** The replay clock, epoch ms. */
  readonly clock = input.required<number>();
  readonly markers = input<readonly ReplayMarker[]>([]);
  readonly markersError = input<string | null>(null);
  /** The server listed only the first REPLAY_MAX_MARKERS of the window. */
  readonly markersTruncated = input(false);
  protected readonly maxMarkers = REPLAY_MAX_MARKERS;
  /** Epoch ms to seek to. */
  readonly seek = output<number>();

  protected readonly step = STEP_MS;
  protected readonly placed = computed(() => placeMarkers(this.markers(), this.window()));

  protected seekTo(event: Event): void {
    const value = Number((event.target as HTMLInputElement).value);
    if (Number.isFinite(value)) this.seek.emit(value);
  }

  protected isoOf(ms: number): string {
    return new Date(ms).toISOString();
  }
}

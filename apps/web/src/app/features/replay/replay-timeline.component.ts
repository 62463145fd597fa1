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
  templateUrl: './replay-timeline.component.html',
  styleUrl: './replay-timeline.component.css',
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

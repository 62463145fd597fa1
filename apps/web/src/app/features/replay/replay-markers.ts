import type { ReplayMarker } from '@vigil/shared';
import type { TimeWindow } from './time-window';

export interface PlacedMarker extends ReplayMarker {
  /** Epoch ms. */
  at: number;
  /** 0..100: where on the scrubber. */
  percent: number;
}

/** The markers inside the window, in time order, each with its place on the scrubber. */
export function placeMarkers(markers: readonly ReplayMarker[], window: TimeWindow): PlacedMarker[] {
  const span = window.to - window.from;
  return markers
    .map((marker) => ({ ...marker, at: Date.parse(marker.time) }))
    .filter((marker) => !Number.isNaN(marker.at) && marker.at >= window.from && marker.at <= window.to)
    .sort((a, b) => a.at - b.at || a.position - b.position)
    .map((marker) => ({ ...marker, percent: span > 0 ? ((marker.at - window.from) / span) * 100 : 0 }));
}

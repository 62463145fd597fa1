import type { ReplayMarker } from '@vigil/shared';
import { placeMarkers } from './replay-markers';

const FROM = Date.parse('2026-01-01T12:00:00.000Z');
const TO = Date.parse('2026-01-01T12:20:00.000Z');

const marker = (time: string, position: number, kind: ReplayMarker['kind'] = 'command'): ReplayMarker => ({
  time,
  position,
  kind,
  label: `${kind} ${position}`,
  ref: `ref-${position}`,
});

describe('placeMarkers', () => {
  it('places markers by time along the window, in time order', () => {
    const placed = placeMarkers(
      [
        marker('2026-01-01T12:15:00.000Z', 9, 'deploy'),
        marker('2026-01-01T12:00:00.000Z', 2),
        marker('2026-01-01T12:05:00.000Z', 5, 'alert'),
      ],
      { from: FROM, to: TO },
    );
    expect(placed.map((m) => [m.position, m.kind, m.percent])).toEqual([
      [2, 'command', 0],
      [5, 'alert', 25],
      [9, 'deploy', 75],
    ]);
    expect(placed[1]?.at).toBe(FROM + 5 * 60_000);
  });

  it('orders markers of the same moment by position, and drops those outside the window or without a time', () => {
    const placed = placeMarkers(
      [
        marker('2026-01-01T12:10:00.000Z', 8),
        marker('2026-01-01T12:10:00.000Z', 7),
        marker('2026-01-01T11:59:59.000Z', 1),
        marker('2026-01-01T12:20:00.001Z', 10),
        marker('soon', 11),
      ],
      { from: FROM, to: TO },
    );
    expect(placed.map((m) => m.position)).toEqual([7, 8]);
  });
});

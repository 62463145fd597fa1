/** Playback speeds the page offers; the API takes 1..1000 or `max`, the page stays within 1×..100×. */
export const REPLAY_SPEEDS = [1, 2, 5, 10, 25, 50, 100] as const;
export const MIN_REPLAY_SPEED = 1;
export const MAX_REPLAY_SPEED = 100;

/** A speed the player accepts: a finite number from 1 to 100 (fractions allowed, e.g. 1.5). */
export function isValidSpeed(speed: unknown): speed is number {
  return typeof speed === 'number' && Number.isFinite(speed) && speed >= MIN_REPLAY_SPEED && speed <= MAX_REPLAY_SPEED;
}

/** Why a speed was refused, in the words the page shows. */
export function speedError(speed: unknown): string {
  return `Speed must be a number from ${MIN_REPLAY_SPEED}× to ${MAX_REPLAY_SPEED}× (got ${String(speed)}).`;
}

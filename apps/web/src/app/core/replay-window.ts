/** How far a "Replay around this" link reaches before the start and after the end. */
export const REPLAY_MARGIN_MS = 10 * 60_000;

/** Query parameters of /replay: ISO times. */
export interface ReplayWindow {
  from: string;
  to: string;
}

/**
 * The window a "Replay around this" link opens: from `start` − 10 min to
 * (`end`, or `now` while it is still going) + 10 min.
 */
export function replayAround(start: string, end: string | null | undefined, now: number): ReplayWindow {
  const startMs = Date.parse(start);
  const endMs = end ? Date.parse(end) : now;
  return {
    from: new Date(startMs - REPLAY_MARGIN_MS).toISOString(),
    to: new Date(Math.max(startMs, endMs) + REPLAY_MARGIN_MS).toISOString(),
  };
}

/** How far a "replay around this …" link reaches on either side of the moment. */
export const REPLAY_AROUND_MS = 10 * 60_000;

/**
 * Query params for `/replay` around a moment (an alert, a command): 10 minutes before
 * to 10 minutes after. Use as `[routerLink]="'/replay'" [queryParams]="replayAround(time)"`.
 */
export function replayAround(time: string | number): { from: string; to: string } {
  const at = typeof time === 'number' ? time : Date.parse(time);
  return { from: new Date(at - REPLAY_AROUND_MS).toISOString(), to: new Date(at + REPLAY_AROUND_MS).toISOString() };
}

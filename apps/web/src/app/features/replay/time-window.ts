/** A replay window in epoch ms, from < to. */
export interface TimeWindow {
  from: number;
  to: number;
}

export interface WindowPreset {
  id: string;
  label: string;
  ms: number;
}

export const WINDOW_PRESETS: readonly WindowPreset[] = [
  { id: '15m', label: 'Last 15 min', ms: 15 * 60_000 },
  { id: '1h', label: 'Last 1 h', ms: 60 * 60_000 },
  { id: '6h', label: 'Last 6 h', ms: 6 * 60 * 60_000 },
  { id: '24h', label: 'Last 24 h', ms: 24 * 60 * 60_000 },
];

/** ISO 8601 as query params carry it, or a datetime-local value (no zone: local time). */
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)?$/;

/** Epoch ms of a strict date-time text, else NaN (Date.parse alone takes "13:99" for a year). */
function parseDateTime(text: string): number {
  return DATE_TIME.test(text) ? Date.parse(text) : Number.NaN;
}

export type WindowResult = { ok: true; window: TimeWindow } | { ok: false; error: string };

/**
 * Reads a window from two texts: ISO strings (query params) or datetime-local values
 * (local time). Clamps it to `bounds` (what can be replayed here: a bundle's window in
 * review mode, up to now live) and says clearly what is wrong with it, if anything.
 */
export function parseWindow(fromText: string | null | undefined, toText: string | null | undefined, bounds?: TimeWindow): WindowResult {
  if (!fromText || !toText) return { ok: false, error: 'Choose both a start and an end.' };
  const from = parseDateTime(fromText);
  const to = parseDateTime(toText);
  if (Number.isNaN(from)) return { ok: false, error: `The start "${fromText}" is not a date and time.` };
  if (Number.isNaN(to)) return { ok: false, error: `The end "${toText}" is not a date and time.` };
  return checkWindow({ from, to }, bounds);
}

/** from < to, then clamped to `bounds`; a window wholly outside them is refused. */
export function checkWindow(window: TimeWindow, bounds?: TimeWindow): WindowResult {
  if (window.from >= window.to) return { ok: false, error: 'The start must be before the end.' };
  if (!bounds) return { ok: true, window };
  const clamped = { from: Math.max(window.from, bounds.from), to: Math.min(window.to, bounds.to) };
  if (clamped.from >= clamped.to) {
    return {
      ok: false,
      error: `Nothing to replay there: what can be replayed runs from ${new Date(bounds.from).toISOString()} to ${new Date(bounds.to).toISOString()}.`,
    };
  }
  return { ok: true, window: clamped };
}

/** The last `preset.ms` up to the end of `bounds` (now, live). */
export function presetWindow(preset: WindowPreset, bounds: TimeWindow): WindowResult {
  return checkWindow({ from: bounds.to - preset.ms, to: bounds.to }, bounds);
}

/** A time as a datetime-local input value (local time, to the second). */
export function toDatetimeLocal(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

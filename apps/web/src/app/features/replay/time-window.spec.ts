import { WINDOW_PRESETS, checkWindow, parseWindow, presetWindow, toDatetimeLocal } from './time-window';

const FROM = Date.parse('2026-01-01T12:00:00.000Z');
const TO = Date.parse('2026-01-01T12:20:00.000Z');
const HOUR = 3_600_000;

describe('time window', () => {
  it('reads ISO query params', () => {
    expect(parseWindow('2026-01-01T12:00:00.000Z', '2026-01-01T12:20:00.000Z')).toEqual({ ok: true, window: { from: FROM, to: TO } });
  });

  it('reads datetime-local values as local time', () => {
    const local = toDatetimeLocal(FROM);
    expect(local).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const result = parseWindow(local, toDatetimeLocal(TO));
    expect(result).toEqual({ ok: true, window: { from: FROM, to: TO } });
  });

  it('refuses a start that is not before the end, and says so', () => {
    expect(parseWindow('2026-01-01T12:20:00.000Z', '2026-01-01T12:00:00.000Z')).toEqual({
      ok: false,
      error: 'The start must be before the end.',
    });
    expect(checkWindow({ from: FROM, to: FROM })).toEqual({ ok: false, error: 'The start must be before the end.' });
  });

  it('names what is missing or unreadable', () => {
    expect(parseWindow('', '2026-01-01T12:00:00.000Z')).toEqual({ ok: false, error: 'Choose both a start and an end.' });
    expect(parseWindow(null, null)).toEqual({ ok: false, error: 'Choose both a start and an end.' });
    expect(parseWindow('yesterday', '2026-01-01T12:00:00.000Z')).toEqual({
      ok: false,
      error: 'The start "yesterday" is not a date and time.',
    });
    expect(parseWindow('2026-01-01T12:00:00.000Z', '13:99')).toEqual({ ok: false, error: 'The end "13:99" is not a date and time.' });
  });

  it('keeps a window within the bounds, and refuses one wholly outside them', () => {
    const bounds = { from: FROM, to: TO };
    expect(checkWindow({ from: FROM - HOUR, to: FROM + 60_000 }, bounds)).toEqual({ ok: true, window: { from: FROM, to: FROM + 60_000 } });
    expect(checkWindow({ from: FROM + 60_000, to: TO + HOUR }, bounds)).toEqual({ ok: true, window: { from: FROM + 60_000, to: TO } });
    const outside = checkWindow({ from: TO + HOUR, to: TO + 2 * HOUR }, bounds);
    expect(outside.ok).toBe(false);
    expect(!outside.ok && outside.error).toContain('2026-01-01T12:00:00.000Z to 2026-01-01T12:20:00.000Z');
  });

  it('turns presets into the last N up to the end of the bounds', () => {
    expect(WINDOW_PRESETS.map((preset) => preset.id)).toEqual(['15m', '1h', '6h', '24h']);
    const bounds = { from: 0, to: TO };
    expect(presetWindow(WINDOW_PRESETS[0], bounds)).toEqual({ ok: true, window: { from: TO - 15 * 60_000, to: TO } });
    expect(presetWindow(WINDOW_PRESETS[3], bounds)).toEqual({ ok: true, window: { from: TO - 24 * HOUR, to: TO } });
    // A server younger than the preset: from its first event.
    expect(presetWindow(WINDOW_PRESETS[1], { from: FROM, to: TO })).toEqual({ ok: true, window: { from: FROM, to: TO } });
  });
});

import { formatDuration, fromLocalInput, toLocalInput } from './local-time';

describe('incident form times', () => {
  it('round-trips a moment through a datetime-local value, to the second', () => {
    const ms = Date.parse('2026-12-03T13:05:09.000Z');
    expect(fromLocalInput(toLocalInput(ms))).toBe('2026-12-03T13:05:09.000Z');
  });

  it('refuses what is not a date and time', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
  });

  it('says durations in seconds, minutes, then hours and minutes', () => {
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(65 * 60_000)).toBe('1 h 5 min');
  });
});

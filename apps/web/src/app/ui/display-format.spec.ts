import { formatDuration, formatUptime } from './display-format';

describe('display formats', () => {
  it('formats uptimes', () => {
    expect(formatUptime(null)).toBe('—');
    expect(formatUptime(42.7)).toBe('42s');
    expect(formatUptime(75)).toBe('1m 15s');
    expect(formatUptime(3_700)).toBe('1h 1m');
    expect(formatUptime(90_000)).toBe('1d 1h');
  });

  it('formats durations', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2m 5s');
  });
});

import { UsageError } from './cli-command';
import { parseTimeArgument } from './time-argument';

describe('parseTimeArgument', () => {
  const now = Date.parse('2026-11-27T03:00:00.000Z');

  it('takes ISO-8601 with a zone, now, and times relative to now', () => {
    expect(parseTimeArgument('--from', '2026-11-27T02:00:00Z', now).toISOString()).toBe('2026-11-27T02:00:00.000Z');
    expect(parseTimeArgument('--from', '2026-11-27T04:30:00.250+02:00', now).toISOString()).toBe('2026-11-27T02:30:00.250Z');
    expect(parseTimeArgument('--to', 'now', now).getTime()).toBe(now);
    expect(parseTimeArgument('--from', '-30m', now).toISOString()).toBe('2026-11-27T02:30:00.000Z');
    expect(parseTimeArgument('--from', '-2h', now).toISOString()).toBe('2026-11-27T01:00:00.000Z');
    expect(parseTimeArgument('--from', '-45s', now).toISOString()).toBe('2026-11-27T02:59:15.000Z');
    expect(parseTimeArgument('--from', '-1d', now).toISOString()).toBe('2026-11-26T03:00:00.000Z');
  });

  it.each(['yesterday', '2026-11-27', '2026-11-27T02:00:00', '30m', '-30x', '2026-13-45T99:00:00Z', ''])(
    'refuses "%s" as a usage error naming the option',
    (raw) => {
      expect(() => parseTimeArgument('--from', raw, now)).toThrow(UsageError);
      expect(() => parseTimeArgument('--from', raw, now)).toThrow(/^--from "/);
    },
  );
});

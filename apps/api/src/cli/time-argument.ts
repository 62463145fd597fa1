import { UsageError } from './cli-command';

const RELATIVE = /^-(\d{1,6})(s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A time on the command line: ISO-8601 with a zone (`2026-11-27T03:00:00Z`),
 * `now`, or relative to now (`-30m`, `-2h`, `-45s`, `-1d`).
 */
export function parseTimeArgument(option: string, raw: string, now = Date.now()): Date {
  if (raw === 'now') return new Date(now);
  const relative = RELATIVE.exec(raw);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2]]);
  if (ISO.test(raw) && Number.isFinite(Date.parse(raw))) return new Date(raw);
  throw new UsageError(`${option} "${raw}" is not a time: use ISO-8601 with a zone (2026-11-27T03:00:00Z), now, or -30s/-30m/-2h/-1d`);
}

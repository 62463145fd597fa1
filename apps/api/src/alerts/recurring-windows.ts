import type { SilenceSchedule, SilenceView } from '@vigil/shared';
import { CronExpressionParser } from 'cron-parser';

/**
 * Recurring maintenance windows: a silence with a cron schedule (UTC) is in force
 * for `durationMinutes` from each occurrence. Worked out here, where the cron parser
 * runs; the shared `silenceActiveAt` then only compares times.
 */

/** Why a cron expression is refused, or null when it parses. */
export function cronProblem(cron: string): string | null {
  if (cron.trim().split(/\s+/).length !== 5) return 'give five cron fields: minute hour day-of-month month day-of-week';
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The occurrence in force at `now`, else the next one (undefined if the cron never fires again). */
export function occurrenceAt(schedule: SilenceSchedule, now: number): { start: string; end: string } | undefined {
  const length = schedule.durationMinutes * 60_000;
  // The latest start at or before now: a start exactly at now counts (prev() is strictly before).
  const previous = CronExpressionParser.parse(schedule.cron, { tz: 'UTC', currentDate: new Date(now + 1) });
  const start = previous.hasPrev() ? previous.prev().getTime() : undefined;
  if (start !== undefined && now < start + length)
    return { start: new Date(start).toISOString(), end: new Date(start + length).toISOString() };
  const next = CronExpressionParser.parse(schedule.cron, { tz: 'UTC', currentDate: new Date(now) });
  if (!next.hasNext()) return undefined;
  const at = next.next().getTime();
  return { start: new Date(at).toISOString(), end: new Date(at + length).toISOString() };
}

/** A silence with its occurrence at `now` filled in (unchanged when it does not recur). */
export function withOccurrence<S extends Omit<SilenceView, 'active'>>(silence: S, now: number): S {
  if (!silence.schedule) return silence;
  const occurrence = occurrenceAt(silence.schedule, now);
  return { ...silence, ...(occurrence ? { occurrence } : {}) };
}

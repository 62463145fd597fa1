import { silenceActiveAt, silencesCovering, type SilenceView } from '@vigil/shared';
import { cronProblem, occurrenceAt, withOccurrence } from './recurring-windows';

const at = (iso: string): number => Date.parse(iso);

/** Saturdays 02:00 UTC for two hours. */
const nightly: Omit<SilenceView, 'active'> = {
  silenceId: 's',
  matchers: { environment: 'production' },
  until: '2027-06-01T00:00:00.000Z',
  reason: 'weekly maintenance',
  by: 'ops',
  createdAt: '2026-11-01T00:00:00.000Z',
  schedule: { cron: '0 2 * * 6', durationMinutes: 120 },
};
const alert = { environment: 'production', rule: 'cpu-high', labels: {} };

function covers(now: string): boolean {
  return silencesCovering([withOccurrence(nightly, at(now))], alert, at(now)).length === 1;
}

describe('recurring maintenance windows', () => {
  it('silence only inside each occurrence: from its start, for its duration', () => {
    // 2026-12-05 is a Saturday.
    expect(covers('2026-12-05T01:59:59.999Z')).toBe(false);
    expect(covers('2026-12-05T02:00:00.000Z')).toBe(true);
    expect(covers('2026-12-05T03:59:59.999Z')).toBe(true);
    expect(covers('2026-12-05T04:00:00.000Z')).toBe(false);
    expect(covers('2026-12-09T03:00:00.000Z')).toBe(false); // a Wednesday
    expect(covers('2026-12-12T02:30:00.000Z')).toBe(true); // the next Saturday
  });

  it('names the occurrence in force, else the next', () => {
    expect(occurrenceAt(nightly.schedule!, at('2026-12-05T03:00:00Z'))).toEqual({
      start: '2026-12-05T02:00:00.000Z',
      end: '2026-12-05T04:00:00.000Z',
    });
    expect(occurrenceAt(nightly.schedule!, at('2026-12-06T03:00:00Z'))).toEqual({
      start: '2026-12-12T02:00:00.000Z',
      end: '2026-12-12T04:00:00.000Z',
    });
  });

  it('is never in force outside its own lifetime, nor without an occurrence worked out', () => {
    expect(covers('2027-06-05T02:30:00.000Z')).toBe(false); // after until
    expect(covers('2026-10-31T02:30:00.000Z')).toBe(false); // before it was made
    expect(silenceActiveAt(nightly, at('2026-12-05T02:30:00.000Z'))).toBe(false);
  });

  it('refuses what is not a five-field cron', () => {
    expect(cronProblem('0 2 * * 6')).toBeNull();
    expect(cronProblem('every saturday')).not.toBeNull();
    expect(cronProblem('0 2 * *')).not.toBeNull();
    expect(cronProblem('99 2 * * 6')).not.toBeNull();
  });
});

import { DEFAULT_RETENTION, planQuery, stepFor } from './tier-selection';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 5, 1, 12, 0, 17, 345);

describe('tier selection', () => {
  it.each([
    ['1h', HOUR, 'raw', 6_000],
    ['24h', DAY, '1m', 180_000],
    ['7d', 7 * DAY, '1m', 17 * 60_000],
    ['1y', 365 * DAY, '1h', 15 * HOUR],
  ])('a %s range ending now (%d ms) uses the %s tier, step %d ms', (_label, range, tier, step) => {
    const plan = planQuery({ from: now - range, to: now, maxPoints: 600, now });
    expect(plan.tier).toBe(tier);
    expect(plan.stepMs).toBe(step);
    expect(plan.buckets).toBeLessThanOrEqual(600);
    expect(plan.start % plan.stepMs).toBe(0);
    expect(plan.start).toBeGreaterThanOrEqual(now - range);
    expect(plan.end % plan.stepMs).toBe(0);
  });

  it('falls back to a coarser tier when the finer one no longer holds the start', () => {
    // An hour two days ago: raw is kept 24 h only.
    expect(planQuery({ from: now - 2 * DAY, to: now - 2 * DAY + HOUR, maxPoints: 600, now }).tier).toBe('1m');
    // A day 100 days ago: minutes are kept 30 days.
    expect(planQuery({ from: now - 100 * DAY, to: now - 99 * DAY, maxPoints: 600, now }).tier).toBe('1h');
    // Older than every tier: the coarsest is still asked.
    expect(planQuery({ from: now - 900 * DAY, to: now - 899 * DAY, maxPoints: 600, now }, DEFAULT_RETENTION).tier).toBe('1h');
  });

  it('uses a coarser tier when the step is a multiple of its resolution (same buckets, fewer rows)', () => {
    const plan = planQuery({ from: now - HOUR, to: now, maxPoints: 60, now });
    expect(plan).toMatchObject({ tier: '1m', stepMs: 60_000 });
    expect(planQuery({ from: now - 7 * DAY, to: now, maxPoints: 168, now })).toMatchObject({ tier: '1h', stepMs: HOUR });
  });

  it('gives a sub-step range the one bucket that contains it', () => {
    expect(planQuery({ from: now + 1, to: now + 2, maxPoints: 600, now })).toMatchObject({ tier: 'raw', stepMs: 1000, buckets: 1 });
  });

  it('never plans more than maxPoints buckets, whatever the alignment', () => {
    let seed = 1;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const to = now - Math.floor(random() * DAY);
      const from = to - Math.floor(random() * 400 * DAY) - 1;
      const maxPoints = 1 + Math.floor(random() * 1000);
      const plan = planQuery({ from, to, maxPoints, now });
      expect(plan.buckets).toBeLessThanOrEqual(maxPoints);
      expect(plan.start).toBeGreaterThanOrEqual(from);
      expect(plan.start).toBeLessThan(to);
      expect(plan.end).toBeGreaterThanOrEqual(to);
    }
    expect(stepFor(3_600_000, 600, 1000)).toBe(6000);
    expect(stepFor(3_600_001, 600, 1000)).toBe(7000);
  });
});

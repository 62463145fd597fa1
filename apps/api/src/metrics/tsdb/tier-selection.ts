import type { HistoryTier } from '@vigil/shared';

/** How long each tier is kept. */
export interface Retention {
  rawHours: number;
  minuteDays: number;
  hourDays: number;
}

export const DEFAULT_RETENTION: Retention = { rawHours: 24, minuteDays: 30, hourDays: 365 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Finest to coarsest. Raw resolution is 1 s: samples are expected at most once a second. */
export const TIERS: readonly HistoryTier[] = ['raw', '1m', '1h'];
export const TIER_RESOLUTION_MS: Readonly<Record<HistoryTier, number>> = { raw: 1000, '1m': 60_000, '1h': HOUR };

/**
 * Longest range each tier serves, so a query reads at most ~7,200 raw samples
 * (120 chunks) or ~14,400 minute rows; longer ranges go to the next tier.
 */
export const TIER_MAX_RANGE_MS: Readonly<Record<HistoryTier, number>> = { raw: 2 * HOUR, '1m': 10 * DAY, '1h': Infinity };

export function retentionMs(tier: HistoryTier, retention: Retention): number {
  if (tier === 'raw') return retention.rawHours * HOUR;
  return tier === '1m' ? retention.minuteDays * DAY : retention.hourDays * DAY;
}

export interface QueryPlan {
  tier: HistoryTier;
  stepMs: number;
  /** First bucket start: from rounded up to a multiple of stepMs. */
  start: number;
  /** End of the last bucket (to rounded up to a multiple of stepMs), exclusive. */
  end: number;
  /** Number of buckets between start and end: at most ceil(range / stepMs) <= maxPoints. */
  buckets: number;
}

/** Smallest multiple of `resolution` with ceil(range / step) <= maxPoints. */
export function stepFor(range: number, maxPoints: number, resolution: number): number {
  return Math.max(1, Math.ceil(range / (maxPoints * resolution))) * resolution;
}

/**
 * The tier rule: the finest tier that still holds `from` (by retention) and whose
 * TIER_MAX_RANGE_MS covers the range (raw up to 2 h, 1m up to 10 d, else 1h); 1h
 * when none does. Then, if the step is a multiple of a coarser tier's resolution
 * and that tier holds the range, the coarser tier is used: its rows give the same
 * buckets exactly, with fewer rows to read.
 *
 * Buckets are epoch-aligned multiples of the step whose start lies in [from, to)
 * (so point times are inside the range), each covering [start, start + step).
 * There are at most ceil(range / step) of them; data between `from` and the first
 * bucket start (less than one step) is not shown. A range holding no bucket start
 * gets the one bucket containing it.
 */
export function planQuery(
  q: { from: number; to: number; maxPoints: number; now: number },
  retention: Retention = DEFAULT_RETENTION,
): QueryPlan {
  const maxPoints = Math.max(1, Math.floor(q.maxPoints));
  const range = Math.max(0, q.to - q.from);
  const holds = (tier: HistoryTier): boolean => q.from >= q.now - retentionMs(tier, retention);
  let index = TIERS.findIndex((tier) => holds(tier) && range <= TIER_MAX_RANGE_MS[tier]);
  if (index < 0) index = TIERS.length - 1;

  const stepMs = stepFor(range, maxPoints, TIER_RESOLUTION_MS[TIERS[index]]);
  for (let coarser = index + 1; coarser < TIERS.length; coarser++) {
    if (stepMs % TIER_RESOLUTION_MS[TIERS[coarser]] === 0 && holds(TIERS[coarser])) index = coarser;
  }
  let start = Math.ceil(q.from / stepMs) * stepMs;
  if (start >= q.to) start = Math.floor(q.from / stepMs) * stepMs; // no bucket starts inside: the one containing it
  const end = Math.max(start + stepMs, Math.ceil(q.to / stepMs) * stepMs);
  return { tier: TIERS[index], stepMs, start, end, buckets: (end - start) / stepMs };
}

/** Exact aggregates of one bucket: avg = sum / count. Pure, in memory. */
export interface Rollup {
  sum: number;
  min: number;
  max: number;
  count: number;
}

/** Aggregates samples into epoch-aligned buckets of `resolutionMs`, keyed by bucket start. */
export function rollUp(
  ts: readonly number[],
  vs: readonly number[],
  resolutionMs: number,
  into = new Map<number, Rollup>(),
): Map<number, Rollup> {
  for (let i = 0; i < ts.length; i++) {
    const bucket = Math.floor(ts[i] / resolutionMs) * resolutionMs;
    const v = vs[i];
    const current = into.get(bucket);
    if (current === undefined) into.set(bucket, { sum: v, min: v, max: v, count: 1 });
    else {
      current.sum += v;
      if (v < current.min) current.min = v;
      if (v > current.max) current.max = v;
      current.count += 1;
    }
  }
  return into;
}

/** Merges finer rollups into coarser buckets (e.g. minutes into hours); still exact. */
export function coarsen(finer: ReadonlyMap<number, Rollup>, resolutionMs: number, into = new Map<number, Rollup>()): Map<number, Rollup> {
  for (const [start, r] of finer) {
    const bucket = Math.floor(start / resolutionMs) * resolutionMs;
    const current = into.get(bucket);
    if (current === undefined) into.set(bucket, { ...r });
    else {
      current.sum += r.sum;
      current.min = Math.min(current.min, r.min);
      current.max = Math.max(current.max, r.max);
      current.count += r.count;
    }
  }
  return into;
}

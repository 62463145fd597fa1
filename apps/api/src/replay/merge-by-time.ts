import type { MetricSample, StoredEvent } from '@vigil/shared';
import type { ReplayItem } from './replay-source';

/**
 * Interleaves events (in position order) with samples (in time order) by time.
 * At equal times the event goes first: a sample never overtakes an event of its
 * instant. Both sides are pulled lazily, so memory stays at one slice of samples.
 */
export async function* mergeByTime(events: AsyncIterable<StoredEvent>, samples: Iterable<MetricSample>): AsyncGenerator<ReplayItem> {
  const pending = samples[Symbol.iterator]();
  try {
    let sample = pending.next();
    for await (const event of events) {
      while (!sample.done && sample.value.time < event.time) {
        yield { kind: 'metrics', sample: sample.value };
        sample = pending.next();
      }
      yield { kind: 'event', event };
    }
    while (!sample.done) {
      yield { kind: 'metrics', sample: sample.value };
      sample = pending.next();
    }
  } finally {
    pending.return?.();
  }
}

/** One sample at a time out of slices of samples. */
export function* flatten<T>(slices: Iterable<readonly T[]>): Generator<T> {
  for (const slice of slices) yield* slice;
}

import type { MetricSample, StoredEvent } from '@vigil/shared';
import type { ReplayItem } from './replay-source';

/**
 * Interleaves events (in position order) with samples (in time order) by time.
 * At equal times the event goes first: a sample never overtakes an event of its
 * instant. Both sides are pulled lazily, so memory stays at one slice of samples.
 */
export async function* mergeByTime(events: AsyncIterable<StoredEvent>, samples: AsyncIterable<MetricSample>): AsyncGenerator<ReplayItem> {
  const pending = samples[Symbol.asyncIterator]();
  try {
    let sample = await pending.next();
    for await (const event of events) {
      while (!sample.done && sample.value.time < event.time) {
        yield { kind: 'metrics', sample: sample.value };
        sample = await pending.next();
      }
      yield { kind: 'event', event };
    }
    while (!sample.done) {
      yield { kind: 'metrics', sample: sample.value };
      sample = await pending.next();
    }
  } finally {
    await pending.return?.();
  }
}

/** One sample at a time out of slices of samples. */
export async function* flatten<T>(slices: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const slice of slices) yield* slice;
}

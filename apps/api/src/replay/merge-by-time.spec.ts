import type { MetricSample, StoredEvent } from '@vigil/shared';
import { flatten, mergeByTime } from './merge-by-time';
import { inMemoryItems } from './replay-source';

const event = (position: number, time: string): StoredEvent => ({
  position,
  stream: 's',
  version: position,
  type: 'command.started',
  data: { commandId: 'c' },
  meta: { correlationId: 'x' },
  time,
  hash: 'h',
});
const sample = (time: string, source = 'host'): MetricSample => ({ source, time, values: { v: 1 } });

const each = <T>(items: T[]): AsyncIterable<T> => inMemoryItems(items);

describe('mergeByTime', () => {
  it('interleaves by time, an event before a sample of the same instant', async () => {
    const t = (s: number): string => new Date(Date.UTC(2026, 10, 27, 0, 0, s)).toISOString();
    const merged: string[] = [];
    const events = [event(1, t(1)), event(2, t(3)), event(3, t(3))];
    const samples = [
      [sample(t(0)), sample(t(1))],
      [sample(t(3)), sample(t(4))],
    ];
    for await (const item of mergeByTime(each(events), flatten(each(samples)))) {
      merged.push(
        item.kind === 'event' ? `e${item.event.position}@${item.event.time.slice(17, 19)}` : `m@${item.sample.time.slice(17, 19)}`,
      );
    }
    expect(merged).toEqual(['m@00', 'e1@01', 'm@01', 'e2@03', 'e3@03', 'm@03', 'm@04']);
  });

  it('closes the sample iterator when the consumer stops early', async () => {
    let closed = false;
    // eslint-disable-next-line @typescript-eslint/require-await -- an async source, as the store's reader is
    async function* samples(): AsyncGenerator<MetricSample> {
      try {
        yield sample('2026-01-01T00:00:00.000Z');
        yield sample('2026-01-01T00:00:01.000Z');
      } finally {
        closed = true;
      }
    }
    for await (const item of mergeByTime(each([event(1, '2026-01-01T00:00:02.000Z')]), samples())) {
      expect(item.kind).toBe('metrics');
      break;
    }
    expect(closed).toBe(true);
  });
});

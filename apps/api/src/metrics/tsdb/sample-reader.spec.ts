import type { MetricSample } from '@vigil/shared';
import { forEachEngine } from '../../../../../test/support/store-engines';
import type { SampleReader } from './sample-reader';
import type { TimeSeriesStore } from './time-series-store';
import { openTimeSeriesStore } from '../../../../../test/support/time-series-engines';

const T0 = Date.parse('2026-11-27T00:00:00.000Z');
const HOUR = 3_600_000;

function write(store: TimeSeriesStore, sample: MetricSample): void {
  const t = Date.parse(sample.time);
  store.write(
    Object.entries(sample.values).map(([metric, v]) => ({ key: { environment: sample.environment, source: sample.source, metric }, t, v })),
  );
}

function samplesOver(seconds: number): MetricSample[] {
  const samples: MetricSample[] = [];
  for (let s = 0; s < seconds; s++) {
    const time = new Date(T0 + s * 1000 + 137).toISOString();
    samples.push({ source: 'host', time, values: { cpu_percent: s + 0.1, memory_percent: 50 - s / 3 } });
    samples.push({ environment: 'staging', source: 'web-server', time, values: { requests_per_s: s * 2 } });
  }
  return samples;
}

const stored = (sample: MetricSample): MetricSample => ({
  ...sample,
  values: Object.fromEntries(Object.entries(sample.values).map(([k, v]) => [k, Math.fround(v)])),
});

/** Every slice of a window, flattened. */
async function readAll(reader: SampleReader, from: number, to: number, now: number): Promise<MetricSample[]> {
  const read: MetricSample[] = [];
  for await (const slice of reader.slices(from, to, now)) read.push(...slice);
  return read;
}

forEachEngine((engine) => {
  let store: TimeSeriesStore;
  let reader: SampleReader;

  beforeEach(async () => {
    store = await openTimeSeriesStore(engine);
    reader = store.sampleReader();
  });

  afterEach(async () => {
    await store.close();
  });

  it('gives back the raw samples of a window (from, to] as they were, values as float32, in time order', async () => {
    const samples = samplesOver(25 * 60); // 25 minutes: several slices, written out of order across flushes
    for (const sample of [...samples].reverse()) write(store, sample);
    await store.flush();
    const from = T0 + 60_000 + 137; // exclusive: the sample at exactly `from` is not in the window
    const to = T0 + 21 * 60_000 + 137; // inclusive
    const read = await readAll(reader, from, to, T0 + HOUR);
    const expected = samples.filter((s) => Date.parse(s.time) > from && Date.parse(s.time) <= to).map(stored);
    expect(read).toEqual([...expected].sort((a, b) => a.time.localeCompare(b.time) || a.source.localeCompare(b.source)));
  });

  it('uses the minute rollups where raw samples are past retention: one averaged sample per source and minute', async () => {
    for (const sample of samplesOver(180)) write(store, sample);
    await store.flush();
    const now = T0 + 48 * HOUR; // raw (24 h) no longer holds the window; minutes (30 d) do
    const read = await readAll(reader, T0 - 1, T0 + 180_000, now);
    const host = read.filter((s) => s.source === 'host');
    expect(host.map((s) => s.time)).toEqual([0, 1, 2].map((m) => new Date(T0 + m * 60_000).toISOString()));
    // Minute 1 holds seconds 60..119: the average cpu is 89.5 + 0.1.
    expect(host[1].values.cpu_percent).toBeCloseTo(89.6, 9);
  });

  it('replays each moment once across the seam where raw takes over from minutes, in the middle of a minute', async () => {
    const samples = samplesOver(300);
    for (const sample of samples) write(store, sample);
    await store.flush();
    const seam = T0 + 90_000 + 500; // raw holds what is after this: half of minute 1
    const now = seam + 24 * HOUR;
    const host = (await readAll(reader, T0 - 1, T0 + 300_000, now)).filter((s) => s.source === 'host');
    // Minutes 0 and 1 as rollups (minute 1 whole, though raw keeps its second half), then raw from minute 2 on.
    expect(host.slice(0, 2).map((s) => s.time)).toEqual([new Date(T0).toISOString(), new Date(T0 + 60_000).toISOString()]);
    const raw = host.slice(2);
    expect(raw.map((s) => s.time)).toEqual(
      samples.filter((s) => s.source === 'host' && Date.parse(s.time) >= T0 + 120_000).map((s) => s.time),
    );
    expect(host).toHaveLength(2 + 180);
  });

  it('replays each moment once across the seam where minutes take over from hours', async () => {
    for (const sample of samplesOver(300)) write(store, sample);
    await store.flush();
    const seam = T0 + 90_000 + 500; // the minute tier (30 d) holds what is after this: inside hour 0
    const now = seam + 30 * 24 * HOUR;
    const host = (await readAll(reader, T0 - 1, T0 + 300_000, now)).filter((s) => s.source === 'host');
    // Hour 0 holds all five minutes: one averaged sample, and no minute of it again.
    expect(host.map((s) => s.time)).toEqual([new Date(T0).toISOString()]);
  });

  it('finds the latest sample of every source at or before a time, within the lookback', async () => {
    for (const sample of samplesOver(120)) write(store, sample);
    await store.flush();
    const at = T0 + 90_000; // the sample at 89.137 s is the latest at 90 s
    const latest = await reader.latestAtOrBefore(at, 15 * 60_000, T0 + HOUR);
    expect(latest).toEqual(samplesOver(90).slice(-2).map(stored));
    expect(await reader.latestAtOrBefore(T0 + 500_000, 60_000, T0 + HOUR)).toEqual([]);
  });
});

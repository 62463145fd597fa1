import { SampleBuffer } from './sample-buffer';

const sample = (n: number) => ({ source: 'host', time: new Date(n).toISOString(), values: { n } });

describe('SampleBuffer', () => {
  it('drops the oldest first when full and counts the drops once', () => {
    const buffer = new SampleBuffer(3);
    for (let n = 1; n <= 5; n++) buffer.push(sample(n));
    const batch = buffer.take(100_000);
    expect(batch.samples.map((s) => s.values.n)).toEqual([3, 4, 5]);
    expect(batch.dropped).toBe(2);
    expect(buffer.take(100_000).dropped).toBe(0);
    expect(buffer.dropped).toBe(2);
  });

  it('cuts batches by size, always at least one sample', () => {
    const buffer = new SampleBuffer(10);
    for (let n = 1; n <= 4; n++) buffer.push(sample(n));
    expect(buffer.take(1).samples).toHaveLength(1);
    expect(buffer.take(100_000).samples).toHaveLength(3);
  });

  it('gives a failed batch back in front, still bounded', () => {
    const buffer = new SampleBuffer(3);
    buffer.push(sample(1));
    buffer.push(sample(2));
    const batch = buffer.take(120);
    buffer.push(sample(3));
    buffer.push(sample(4));
    buffer.putBack(batch);
    const again = buffer.take(100_000);
    expect(again.samples.map((s) => s.values.n)).toEqual([2, 3, 4]);
    expect(again.dropped).toBe(1);
  });
});

import { LineSplitter, MAX_LINE_LENGTH } from './line-splitter';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps items in order below capacity', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.size).toBe(2);
    expect(ring.toArray()).toEqual([1, 2]);
  });

  it('overwrites the oldest items once full, and wraps around many times', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 10; i++) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([8, 9, 10]);
    ring.push(11);
    expect(ring.toArray()).toEqual([9, 10, 11]);
  });

  it('returns the newest n items oldest first, clamping n', () => {
    const ring = new RingBuffer<string>(5);
    for (const s of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) ring.push(s);
    expect(ring.last(2)).toEqual(['f', 'g']);
    expect(ring.last(0)).toEqual([]);
    expect(ring.last(99)).toEqual(['c', 'd', 'e', 'f', 'g']);
    expect(ring.last(-1)).toEqual([]);
  });

  it('holds exactly its capacity of 1000 lines', () => {
    const ring = new RingBuffer<number>(1000);
    for (let i = 0; i < 2500; i++) ring.push(i);
    const all = ring.toArray();
    expect(all).toHaveLength(1000);
    expect(all[0]).toBe(1500);
    expect(all[999]).toBe(2499);
  });

  it('clears, and rejects a capacity that is not a positive integer', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    ring.clear();
    expect(ring.size).toBe(0);
    ring.push(7);
    expect(ring.toArray()).toEqual([7]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});

describe('LineSplitter', () => {
  it('joins partial lines across chunks and strips \\r', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('hel'))).toEqual([]);
    expect(splitter.push(Buffer.from('lo\r\nwor'))).toEqual(['hello']);
    expect(splitter.push(Buffer.from('ld\n\nlast'))).toEqual(['world', '']);
    expect(splitter.end()).toEqual(['last']);
    expect(splitter.end()).toEqual([]);
  });

  it('decodes a UTF-8 character split between chunks', () => {
    const splitter = new LineSplitter();
    const bytes = Buffer.from('été\n');
    expect(splitter.push(bytes.subarray(0, 1))).toEqual([]);
    expect(splitter.push(bytes.subarray(1, 2))).toEqual([]);
    expect(splitter.push(bytes.subarray(2))).toEqual(['été']);
  });

  it('cuts very long lines at the cap and drops the rest of them', () => {
    const splitter = new LineSplitter();
    const lines = [...splitter.push('x'.repeat(3000)), ...splitter.push('x'.repeat(3000)), ...splitter.push('y'.repeat(10_000))];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(MAX_LINE_LENGTH);
    expect(lines[0].endsWith('…')).toBe(true);
    expect(splitter.push('zzz\nnext\n')).toEqual(['next']);
    const whole = splitter.push(`${'a'.repeat(MAX_LINE_LENGTH + 10)}\n`);
    expect(whole).toHaveLength(1);
    expect(whole[0]).toHaveLength(MAX_LINE_LENGTH);
  });
});

import { CHUNK_MS, RECORD_BYTES, chunkStart, decodeChunk, encodeChunk } from './chunk-codec';

describe('chunk codec', () => {
  const start = Date.UTC(2026, 0, 1, 12, 34);

  it('round-trips offsets exactly and values as float32', () => {
    const ts = [start, start + 1, start + 999, start + 30_000, start + CHUNK_MS - 1];
    const vs = [0, -1.5, 123456.789, 1e-3, 4.2e9];
    const data = encodeChunk(start, ts, vs);
    expect(data.byteLength).toBe(ts.length * RECORD_BYTES);
    const decoded = decodeChunk(data, start);
    expect(decoded.ts).toEqual(ts);
    expect(decoded.vs).toEqual(vs.map((v) => Math.fround(v)));
  });

  it('decodes concatenated appends in arrival order', () => {
    const first = encodeChunk(start, [start + 5000], [1]);
    const second = encodeChunk(start, [start + 1000, start + 2000], [2, 3]);
    expect(decodeChunk(Buffer.concat([first, second]), start)).toEqual({ ts: [start + 5000, start + 1000, start + 2000], vs: [1, 2, 3] });
  });

  it('reads from a Buffer view with a non-zero byte offset', () => {
    const data = encodeChunk(start, [start + 7], [0.25]);
    const padded = Buffer.concat([Buffer.from([9, 9, 9]), data]).subarray(3);
    expect(decodeChunk(padded, start)).toEqual({ ts: [start + 7], vs: [0.25] });
  });

  it('rejects samples outside the chunk and aligns chunk starts to the minute', () => {
    expect(() => encodeChunk(start, [start + CHUNK_MS], [1])).toThrow(RangeError);
    expect(() => encodeChunk(start, [start - 1], [1])).toThrow(RangeError);
    expect(chunkStart(start + 59_999)).toBe(start);
    expect(chunkStart(start + 60_000)).toBe(start + 60_000);
  });
});

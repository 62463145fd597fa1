/**
 * Raw samples are stored in chunks: one BLOB per (series, minute) of packed
 * little-endian records [uint16 ms offset within the minute, float32 value].
 * 6 bytes a sample keeps a day of 60 series at 1 Hz near 30 MB; float32 keeps
 * ~7 significant digits, which is plenty for a chart (the rollup tiers are
 * computed from the exact float64 values before packing).
 * Records are appended per flush, so a chunk is in arrival order, not time order.
 */
export const CHUNK_MS = 60_000;
export const RECORD_BYTES = 6;

/** Start (epoch ms) of the chunk holding time t. */
export function chunkStart(t: number): number {
  return Math.floor(t / CHUNK_MS) * CHUNK_MS;
}

/** Packs samples that all fall in the chunk starting at `start`. Times are floored to whole ms. */
export function encodeChunk(start: number, ts: readonly number[], vs: readonly number[]): Buffer {
  const buffer = Buffer.allocUnsafe(ts.length * RECORD_BYTES);
  for (let i = 0; i < ts.length; i++) {
    const offset = Math.floor(ts[i]) - start;
    if (offset < 0 || offset >= CHUNK_MS) throw new RangeError(`sample at ${ts[i]} is outside the chunk starting at ${start}`);
    buffer.writeUInt16LE(offset, i * RECORD_BYTES);
    buffer.writeFloatLE(vs[i], i * RECORD_BYTES + 2);
  }
  return buffer;
}

/** Calls visit(t, v) for every record of a chunk, in stored (arrival) order. */
export function forEachSample(data: Uint8Array, start: number, visit: (t: number, v: number) => void): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = data.byteLength - (data.byteLength % RECORD_BYTES);
  for (let at = 0; at < end; at += RECORD_BYTES) {
    visit(start + view.getUint16(at, true), view.getFloat32(at + 2, true));
  }
}

export function decodeChunk(data: Uint8Array, start: number): { ts: number[]; vs: number[] } {
  const ts: number[] = [];
  const vs: number[] = [];
  forEachSample(data, start, (t, v) => {
    ts.push(t);
    vs.push(v);
  });
  return { ts, vs };
}

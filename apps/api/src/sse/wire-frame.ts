const CRLF = 0x0d0a;

/**
 * One SSE frame, built once and written to every socket that gets it. It is held
 * pre-framed as an HTTP/1.1 chunk (size line, frame, CRLF) in one buffer, so a
 * chunked response takes it in a single socket write, with no per-socket framing;
 * `bytes` is the bare frame (a view of the same memory) for anything else.
 */
export class WireFrame {
  readonly chunk: Buffer;
  readonly bytes: Buffer;

  constructor(text: string) {
    const length = Buffer.byteLength(text);
    const sizeLine = `${length.toString(16)}\r\n`;
    this.chunk = Buffer.allocUnsafe(sizeLine.length + length + 2);
    this.chunk.write(sizeLine, 0, 'latin1');
    this.chunk.write(text, sizeLine.length, 'utf8');
    this.chunk.writeUInt16BE(CRLF, sizeLine.length + length);
    this.bytes = this.chunk.subarray(sizeLine.length, sizeLine.length + length);
  }
}

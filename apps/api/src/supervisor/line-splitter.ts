import { StringDecoder } from 'node:string_decoder';

/** Longest line kept (in UTF-16 code units, ~4 KiB of ASCII); longer lines are cut and end with "…". */
export const MAX_LINE_LENGTH = 4096;

function cut(line: string): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  return text.length > MAX_LINE_LENGTH ? `${text.slice(0, MAX_LINE_LENGTH - 1)}…` : text;
}

/**
 * Turns a byte stream into lines: keeps a partial line across chunks, decodes
 * UTF-8 split across chunk boundaries, strips "\r", and caps line length. Once a
 * line runs over the cap it is emitted (cut) at once and the rest of it, up to the
 * next newline, is dropped, so a child writing without newlines cannot grow memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** The current line was already emitted cut: drop text until the next newline. */
  private dropping = false;

  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      if (newline === -1) break;
      if (this.dropping) this.dropping = false;
      else lines.push(cut(this.partial + text.slice(from, newline)));
      this.partial = '';
      from = newline + 1;
    }
    if (!this.dropping && from < text.length) {
      this.partial += text.slice(from);
      if (this.partial.length > MAX_LINE_LENGTH) {
        lines.push(cut(this.partial));
        this.partial = '';
        this.dropping = true;
      }
    }
    return lines;
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    const rest = this.decoder.end();
    const line = this.dropping ? '' : this.partial + rest;
    this.partial = '';
    this.dropping = false;
    return line.length > 0 ? [cut(line)] : [];
  }
}

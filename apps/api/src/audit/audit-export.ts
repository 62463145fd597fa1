import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AuditEntry, AuditExportFormat } from '@vigil/shared';
import { CSV_HEADER, EXPORT_CONTENT_TYPES, csvRow, exportFileName, ndjsonRow } from './audit-format';

export interface ExportOutcome {
  rows: number;
  bytes: number;
  /** The client went away before the end. */
  aborted: boolean;
}

/** Resolves on 'drain', or on 'close' if the client leaves first. */
function drainOrClose(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/**
 * Streams an export page by page: each page (≈1,000 rows) becomes one chunk,
 * written as soon as it is read. When the socket's buffer is full it waits for
 * 'drain', so memory stays at about one page however many rows there are; when
 * the client disconnects it stops reading. Pages are pulled lazily from `pages`
 * (one query each), so nothing is read ahead of the client.
 */
export async function writeExport(
  response: ServerResponse,
  pages: AsyncIterable<AuditEntry[]>,
  format: AuditExportFormat,
  now = new Date(),
): Promise<ExportOutcome> {
  const outcome: ExportOutcome = { rows: 0, bytes: 0, aborted: false };
  const gone = (): boolean => response.destroyed || response.writableEnded || (response.socket?.destroyed ?? false);
  response.statusCode = 200;
  response.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
  response.setHeader('Content-Disposition', `attachment; filename="${exportFileName(format, now)}"`);
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  const toLine = format === 'csv' ? csvRow : ndjsonRow;

  const write = async (chunk: string): Promise<boolean> => {
    if (gone()) return false;
    outcome.bytes += Buffer.byteLength(chunk);
    if (!response.write(chunk)) await drainOrClose(response);
    // Always yield a full turn between pages. When a fast reader keeps the kernel
    // buffer empty the write completes synchronously and 'drain' fires from
    // process.nextTick: awaiting it alone would chain page after page without ever
    // returning to the event loop, starving every other request until the export ends.
    await nextTurn();
    return !gone();
  };

  const iterator = pages[Symbol.asyncIterator]();
  try {
    if (format === 'csv' && !(await write(CSV_HEADER))) return { ...outcome, aborted: true };
    for (;;) {
      if (gone()) return { ...outcome, aborted: true };
      const next = await iterator.next();
      if (next.done) break;
      let chunk = '';
      for (const entry of next.value) chunk += toLine(entry);
      outcome.rows += next.value.length;
      if (!(await write(chunk))) return { ...outcome, aborted: true };
    }
  } finally {
    await iterator.return?.();
  }
  response.end();
  return outcome;
}

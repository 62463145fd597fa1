import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** The status Node itself would send for each parser error (the rest are 400). */
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

const MESSAGE_BY_STATUS: Record<number, string> = {
  431: 'request headers are too large',
  413: 'chunk extensions are too large',
  408: 'the request took too long to arrive',
  400: 'malformed HTTP request',
};

/** The raw HTTP answer for a request Node's parser refused, in the one JSON error shape. */
export function parserErrorResponse(code: string | undefined): string {
  const status = STATUS_BY_CODE[code ?? ''] ?? 400;
  const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: MESSAGE_BY_STATUS[status] });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Requests Node's HTTP parser refuses (headers over the limit, malformed request
 * lines) never reach Express, and Node answers them with an empty body. This
 * 'clientError' handler answers them as JSON like every other error; like Node's
 * own, it writes nothing when a response already started on that socket.
 */
export function answerParserErrorsAsJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) socket.write(parserErrorResponse(error.code));
    socket.destroy(error);
  });
}

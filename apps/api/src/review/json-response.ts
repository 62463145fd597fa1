import { STATUS_CODES, type ServerResponse } from 'node:http';

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

/** The API's error shape: {statusCode, error, message, details?}. */
export function sendError(response: ServerResponse, status: number, message: string, details?: unknown): void {
  sendJson(response, status, {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    ...(details === undefined ? {} : { details }),
  });
}

import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@vigil/shared';

/**
 * Reason phrases of the statuses the API answers with. Not `statusText`: HTTP/2 sends no
 * reason phrase, and browsers then report "OK" or nothing whatever the status.
 */
const REASON_PHRASES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The JSON error body the API sends (`{statusCode, error, message}`), or what came instead. */
function errorBody(error: HttpErrorResponse): Partial<ApiErrorBody> | string | null {
  return error.error as Partial<ApiErrorBody> | string | null;
}

/** The status's reason phrase: the API's own (`error` of its body), else the standard one; undefined if unknown. */
export function reasonPhrase(error: HttpErrorResponse): string | undefined {
  const body = errorBody(error);
  if (body !== null && typeof body === 'object' && typeof body.error === 'string' && body.error !== '') return body.error;
  return REASON_PHRASES[error.status];
}

/** The server's message: the body's `message`, or a plain-text body; undefined without one. */
export function serverMessage(error: HttpErrorResponse): string | undefined {
  const body = errorBody(error);
  const message = typeof body === 'string' ? body : body?.message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/** A one-line, human-readable reason from an HttpClient error: "403 Forbidden: role "viewer" lacks audit.read". */
export function describeHttpError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return 'The server could not be reached.';
    const message = serverMessage(error);
    return `${error.status} ${reasonPhrase(error) ?? 'error'}${message ? `: ${message}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

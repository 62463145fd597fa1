import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { CSRF_HEADER_NAME, LOGIN_URL, LOGOUT_URL, SessionService } from './session.service';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Same-origin API calls only: the token never goes to another host. */
function isApiUrl(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

function pathOf(url: string): string {
  return url.split(/[?#]/, 1)[0] ?? url;
}

/**
 * Adds `X-CSRF-Token` to unsafe API calls (the session cookie rides along on its own),
 * and turns a 401 from any API call into "signed out" — except from the login call,
 * whose 401 just means wrong credentials, and logout, which is signing out anyway.
 */
export const csrfInterceptor: HttpInterceptorFn = (request, next) => {
  if (!isApiUrl(request.url)) return next(request);
  const session = inject(SessionService);
  const token = session.csrfToken();
  const outgoing =
    token && UNSAFE_METHODS.has(request.method.toUpperCase()) && !request.headers.has(CSRF_HEADER_NAME)
      ? request.clone({ setHeaders: { [CSRF_HEADER_NAME]: token } })
      : request;
  const path = pathOf(request.url);
  return next(outgoing).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401 && path !== LOGIN_URL && path !== LOGOUT_URL) {
        session.expire();
      }
      return throwError(() => error);
    }),
  );
};

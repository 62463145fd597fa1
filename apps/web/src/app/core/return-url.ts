import type { Router, UrlTree } from '@angular/router';

/** The login page's query parameter naming the page to go back to after signing in. */
export const RETURN_PARAM = 'returnUrl';

/**
 * Where to go after signing in: the app path given, or the dashboard. Only paths of this
 * app count ('/…', not '//host' or '/\host', which browsers treat as another origin), and
 * never the login page itself.
 */
export function safeReturnUrl(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw === '/login' || raw.startsWith('/login?') || raw.startsWith('/login/')) return '/';
  return raw;
}

/** /login, remembering `from` (a deep link, `?kiosk=1`, a replay window) unless it is the plain dashboard. */
export function loginUrlTree(router: Router, from: string): UrlTree {
  const target = safeReturnUrl(from);
  return router.createUrlTree(['/login'], target === '/' ? {} : { queryParams: { [RETURN_PARAM]: target } });
}

import type { SessionInfo } from '../common/session-user';

/**
 * The CSRF token GET /api/auth/me hands the web app for its session: an HMAC of the
 * session id on the live server (SessionTokens), none on a review server, where
 * nothing can be written.
 */
export abstract class CsrfTokens {
  abstract tokenFor(session: SessionInfo): string;
}

import type { SessionInfo } from '../common/session-user';
import type { SessionTokens } from './session-tokens';

/**
 * The CSRF token GET /api/auth/me hands the web app for its session: an HMAC of the
 * session id on the live server (SessionTokens), none on a review server, where
 * nothing can be written.
 */
export abstract class CsrfTokens {
  abstract tokenFor(session: SessionInfo): string;
}

/** The live server's: the double-submit token of the session's id. */
export class SessionCsrfTokens extends CsrfTokens {
  constructor(private readonly tokens: SessionTokens) {
    super();
  }

  tokenFor(session: SessionInfo): string {
    return this.tokens.csrfTokenFor(session.jti);
  }
}

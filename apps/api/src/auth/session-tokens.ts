import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a session token carries. The role is NOT in it: the guard reads the current one. */
export interface SessionClaims {
  sub: string;
  username: string;
  jti: string;
  iat: number;
  exp: number;
  /**
   * The user's session generation when the token was issued (how many password
   * changes their record had folded). A password change ends every token of an
   * older generation exactly, whatever the clocks say; tokens issued before this
   * claim existed have none and are judged by `iat` (see sessionEnded).
   */
  gen?: number;
}

export interface IssuedToken {
  token: string;
  claims: SessionClaims;
  expiresAt: string;
  /** Seconds until it expires (the cookies' Max-Age). */
  lifetimeSeconds: number;
  csrfToken: string;
}

export class SessionTokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'session expired: log in again' : 'invalid session token');
    this.name = 'SessionTokenError';
  }
}

const ALGORITHM = 'HS256';
/** Tokens whose signature and claims were checked, kept to skip the HMAC and JSON work on their next request. */
const VERIFIED_CACHE_LIMIT = 10_000;
/** The last instant a JavaScript Date can hold, in epoch seconds. */
const MAX_EPOCH_SECONDS = 8.64e12;

/** A NumericDate a Date can represent: a signed token with `exp: 1e20` is invalid, not a RangeError later. */
function isEpochSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_EPOCH_SECONDS;
}

/**
 * Signs and checks session JWTs (HS256 only: `alg: none` and every other
 * algorithm are refused on verify), and derives each session's CSRF token: an
 * HMAC of its jti, so the double-submit value is bound to that one session.
 */
export class SessionTokens {
  private readonly jwt: JwtService;
  readonly lifetimeSeconds: number;
  /**
   * token → its checked claims. A token's signature is valid or not for good (the
   * key never changes in a process), so only expiry is checked again; revocation,
   * a disabled user and a password change are the guard's checks, made every time.
   * Oldest first (a Map keeps insertion order), bounded.
   */
  private readonly verified = new Map<string, SessionClaims>();

  constructor(
    private readonly secret: string,
    tokenHours: number,
  ) {
    this.jwt = new JwtService({
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to read
      // it as a PEM public key on every verify (a thrown error, ~2 ms a request).
      privateKey: createSecretKey(Buffer.from(secret, 'utf8')),
      publicKey: createSecretKey(Buffer.from(secret, 'utf8')),
      signOptions: { algorithm: ALGORITHM },
      verifyOptions: { algorithms: [ALGORITHM] },
    });
    this.lifetimeSeconds = Math.max(1, Math.round(tokenHours * 3600));
  }

  issue(user: { id: string; username: string; sessionGeneration?: number }, now = Date.now()): IssuedToken {
    const iat = Math.floor(now / 1000);
    const claims: SessionClaims = {
      sub: user.id,
      username: user.username,
      jti: randomBytes(16).toString('base64url'),
      iat,
      exp: iat + this.lifetimeSeconds,
      gen: user.sessionGeneration ?? 0,
    };
    const token = this.jwt.sign({ ...claims }, { algorithm: ALGORITHM });
    return {
      token,
      claims,
      expiresAt: new Date(claims.exp * 1000).toISOString(),
      lifetimeSeconds: this.lifetimeSeconds,
      csrfToken: this.csrfTokenFor(claims.jti),
    };
  }

  /** The claims of a valid, unexpired HS256 token signed with our key; throws SessionTokenError otherwise. */
  verify(token: string, now = Date.now()): SessionClaims {
    const known = this.verified.get(token);
    if (known) {
      if (Math.floor(now / 1000) >= known.exp) {
        this.verified.delete(token);
        throw new SessionTokenError('expired');
      }
      return known;
    }
    const claims = this.verifySignature(token);
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, Object.freeze(claims));
    return claims;
  }

  private verifySignature(token: string): SessionClaims {
    let payload: unknown;
    try {
      payload = this.jwt.verify(token, { algorithms: [ALGORITHM] });
    } catch (error) {
      throw new SessionTokenError(error instanceof TokenExpiredError ? 'expired' : 'invalid');
    }
    if (typeof payload !== 'object' || payload === null) throw new SessionTokenError('invalid');
    const claims = payload as Partial<SessionClaims>;
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.username !== 'string' ||
      typeof claims.jti !== 'string' ||
      !isEpochSeconds(claims.iat) ||
      !isEpochSeconds(claims.exp) ||
      (claims.gen !== undefined && !(Number.isSafeInteger(claims.gen) && claims.gen >= 0))
    ) {
      throw new SessionTokenError('invalid');
    }
    return claims as SessionClaims;
  }

  csrfTokenFor(jti: string): string {
    return createHmac('sha256', this.secret).update(`vigil-csrf:${jti}`).digest('base64url');
  }

  /** Constant-time comparison of a presented CSRF token with the session's. */
  csrfMatches(jti: string, given: string | undefined): boolean {
    if (!given) return false;
    const expected = Buffer.from(this.csrfTokenFor(jti));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

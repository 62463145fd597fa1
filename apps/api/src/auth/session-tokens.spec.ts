import { createHmac } from 'node:crypto';
import { SessionTokenError, SessionTokens } from './session-tokens';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function reason(tokens: SessionTokens, token: string): string | undefined {
  try {
    tokens.verify(token);
    return undefined;
  } catch (error) {
    return error instanceof SessionTokenError ? error.reason : `unexpected: ${String(error)}`;
  }
}

describe('session tokens (HS256 JWT)', () => {
  const tokens = new SessionTokens(SECRET, 8);
  const user = { id: '0b6f7c3e-1d2a-8c4b-9e5f-123456789abc', username: 'alice' };

  it('issues HS256 tokens with sub, username, jti, iat and exp = iat + lifetime', () => {
    const issued = tokens.issue(user);
    const [header, payload, signature] = issued.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(signature.length).toBeGreaterThan(0);
    const claims = tokens.verify(issued.token);
    expect(claims).toMatchObject({ sub: user.id, username: 'alice', jti: issued.claims.jti });
    expect(claims.exp - claims.iat).toBe(8 * 3600);
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).not.toHaveProperty('role');
    expect(issued.expiresAt).toBe(new Date(claims.exp * 1000).toISOString());
    expect(tokens.issue(user).claims.jti).not.toEqual(issued.claims.jti);
  });

  it('rejects a tampered signature and a tampered payload', () => {
    const { token } = tokens.issue(user);
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(reason(tokens, `${header}.${payload}.${flipped}`)).toBe('invalid');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    expect(reason(tokens, `${header}.${b64url({ ...claims, sub: 'someone-else' })}.${signature}`)).toBe('invalid');
    expect(reason(tokens, 'not-a-token')).toBe('invalid');
    expect(reason(tokens, '')).toBe('invalid');
  });

  it('rejects alg "none" (crafted by hand, empty signature)', () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: user.id, username: 'alice', jti: 'forged', iat: now, exp: now + 3600 };
    expect(reason(tokens, `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`)).toBe('invalid');
    expect(reason(tokens, `${b64url({ alg: 'none' })}.${b64url(claims)}.`)).toBe('invalid');
  });

  it('rejects other algorithms even when signed with the same key (HS512)', () => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url({ alg: 'HS512', typ: 'JWT' });
    const payload = b64url({ sub: user.id, username: 'alice', jti: 'x', iat: now, exp: now + 3600 });
    const signature = createHmac('sha512', SECRET).update(`${header}.${payload}`).digest('base64url');
    expect(reason(tokens, `${header}.${payload}.${signature}`)).toBe('invalid');
  });

  it('rejects an expired token', () => {
    const issued = tokens.issue(user, Date.now() - 9 * 3600 * 1000);
    expect(reason(tokens, issued.token)).toBe('expired');
  });

  it('still expires a token it has verified before (the verified-token cache checks exp every time)', () => {
    const issuedAt = Date.now();
    const { token, claims } = tokens.issue(user, issuedAt);
    expect(tokens.verify(token, issuedAt).jti).toBe(claims.jti);
    expect(tokens.verify(token, claims.exp * 1000 - 1).jti).toBe(claims.jti);
    expect(() => tokens.verify(token, claims.exp * 1000)).toThrow(SessionTokenError);
    expect(reason(tokens, token)).toBeUndefined(); // the real clock: still valid, checked afresh
  });

  it('never caches a token that failed: a tampered one fails every time', () => {
    const { token } = tokens.issue(user);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(reason(tokens, tampered)).toBe('invalid');
    expect(reason(tokens, tampered)).toBe('invalid');
    expect(reason(tokens, token)).toBeUndefined();
  });

  it('rejects a token signed with another secret', () => {
    const other = new SessionTokens('another-secret-that-is-also-long-enough-xyz', 8);
    expect(reason(tokens, other.issue(user).token)).toBe('invalid');
  });

  it('rejects well-signed tokens that lack the session claims', () => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url({ alg: 'HS256', typ: 'JWT' });
    const payload = b64url({ sub: user.id, iat: now, exp: now + 60 });
    const signature = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
    expect(reason(tokens, `${header}.${payload}.${signature}`)).toBe('invalid');
  });

  it('binds the CSRF token to the session (HMAC of the jti) and compares it safely', () => {
    const a = tokens.issue(user);
    const b = tokens.issue(user);
    expect(a.csrfToken).toBe(tokens.csrfTokenFor(a.claims.jti));
    expect(a.csrfToken).not.toBe(b.csrfToken);
    expect(tokens.csrfMatches(a.claims.jti, a.csrfToken)).toBe(true);
    expect(tokens.csrfMatches(a.claims.jti, b.csrfToken)).toBe(false);
    expect(tokens.csrfMatches(a.claims.jti, undefined)).toBe(false);
    expect(tokens.csrfMatches(a.claims.jti, 'short')).toBe(false);
    expect(new SessionTokens('another-secret-that-is-also-long-enough-xyz', 8).csrfTokenFor(a.claims.jti)).not.toBe(a.csrfToken);
  });

  it('rejects a well-signed token whose exp or iat no Date can hold (1e20), and a bad generation', () => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url({ alg: 'HS256', typ: 'JWT' });
    const sign = (claims: Record<string, unknown>): string => {
      const payload = b64url({ sub: user.id, username: 'alice', jti: 'j', iat: now, exp: now + 60, ...claims });
      return `${header}.${payload}.${createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url')}`;
    };
    expect(reason(tokens, sign({}))).toBeUndefined();
    expect(reason(tokens, sign({ exp: 1e20 }))).toBe('invalid');
    expect(reason(tokens, sign({ iat: -1 }))).toBe('invalid');
    expect(reason(tokens, sign({ gen: -1 }))).toBe('invalid');
    expect(reason(tokens, sign({ gen: 1.5 }))).toBe('invalid');
    expect(tokens.verify(sign({ gen: 3 })).gen).toBe(3);
  });

  it('carries the session generation it was issued at', () => {
    expect(tokens.verify(tokens.issue({ ...user, sessionGeneration: 2 }).token).gen).toBe(2);
    expect(tokens.issue(user).claims.gen).toBe(0);
  });

  it('rounds tiny lifetimes to at least one second', () => {
    expect(new SessionTokens(SECRET, 0.0003).lifetimeSeconds).toBe(1);
  });
});

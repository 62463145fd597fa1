import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A host token: 32 random bytes, shown once at enrolment; only its sha256 is kept (a random token needs no slow hash). */
export function generateHostToken(): string {
  return `vgh_${randomBytes(32).toString('base64url')}`;
}

export function hashHostToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time check of a presented token against a stored hash. */
export function hostTokenMatches(token: string, tokenHash: string): boolean {
  const presented = Buffer.from(hashHostToken(token), 'hex');
  const stored = Buffer.from(tokenHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

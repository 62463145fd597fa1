import { API_TOKEN_PREFIX } from '@vigil/shared';
import { createHash, randomBytes } from 'node:crypto';

/** A new token: the prefix and 32 random bytes (256 bits: a plain sha256 of it cannot be brute-forced). */
export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What is stored and looked up: sha256 of the whole token, hex. */
export function apiTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isApiToken(bearer: string): boolean {
  return bearer.startsWith(API_TOKEN_PREFIX);
}

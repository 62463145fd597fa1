import { createHmac } from 'node:crypto';

/**
 * What `user.login-failed` records for a username that matches no user: a short
 * keyed hash, never the typed text (which is often a password typed in the wrong
 * field, and events reach admins' streams, replays and bundles). Keyed with the
 * session secret so a dictionary cannot reverse it; equal typos still give equal
 * labels, so repeated attempts stay recognisable. `#` is no username character.
 */
export function unknownUsernameLabel(secret: string, typed: string): string {
  const digest = createHmac('sha256', secret).update(`vigil-login-name:${typed.toLowerCase()}`).digest('hex');
  return `#${digest.slice(0, 12)}`;
}

import type { SessionInfo } from '../common/session-user';

/**
 * The one "user" of a review server: sees every environment, runs nothing, may
 * replay. There is no login: the bundle was exported by someone allowed to read
 * it, and the server only ever shows that file.
 */
export function reviewerSession(now = Date.now()): SessionInfo {
  return {
    user: { id: 'review', username: 'reviewer', role: 'reviewer', grants: { environments: ['*'], commands: [], capabilities: ['replay'] } },
    jti: 'review',
    expiresAt: new Date(now + 24 * 3_600_000).toISOString(),
    via: 'bearer',
  };
}

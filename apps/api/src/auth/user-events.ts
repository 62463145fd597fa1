import type { NewEvent, RoleGrants, SessionUser } from '@vigil/shared';
import type { VigilConfig } from '../config/vigil-config.schema';
import { hashPassword } from './password';
import { userIdFor, type UserRecord } from './users-state';

/** What a role that is no longer in the config grants: nothing (the session stays valid for /me). */
export const NO_GRANTS: RoleGrants = { environments: [], commands: [], capabilities: [] };

export function grantsOf(config: VigilConfig, role: string): RoleGrants {
  return Object.hasOwn(config.roles, role) ? config.roles[role] : NO_GRANTS;
}

export function sessionUserOf(config: VigilConfig, user: Pick<UserRecord, 'id' | 'username' | 'role'>): SessionUser {
  return { id: user.id, username: user.username, role: user.role, grants: grantsOf(config, user.role) };
}

export function roleExists(config: VigilConfig, role: string): boolean {
  return Object.hasOwn(config.roles, role);
}

/** The user.created event for a new user (the id is derived from the username). */
export async function userCreatedEvent(username: string, role: string, password: string): Promise<{ userId: string; event: NewEvent }> {
  const userId = userIdFor(username);
  return { userId, event: { type: 'user.created', data: { userId, username, role, passwordHash: await hashPassword(password) } } };
}

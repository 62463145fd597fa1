import type { z } from 'zod';
import type { RoleGrants, roleSchema } from './access-schemas';
import type { Capability } from './capabilities';

/**
 * Roles and permissions: the one `can()` that the API guards and the web app both
 * use, so a control the page shows is a control the server allows.
 */

/** The default roles: viewers watch, operators act on staging and read production logs, admins do everything. */
export const DEFAULT_ROLES: Record<string, z.input<typeof roleSchema>> = {
  viewer: { description: 'Watches every environment; runs nothing.', environments: ['*'] },
  operator: {
    description: 'Runs any command in staging, only logs in production; acknowledges alerts.',
    environments: ['*'],
    commands: [
      { types: ['*'], targets: ['*'], environments: ['staging'] },
      { types: ['logs'], targets: ['*'], environments: ['production'] },
    ],
    capabilities: ['alerts.ack', 'incidents.manage'],
  },
  admin: {
    description: 'Everything, including users, audit and replay.',
    environments: ['*'],
    commands: [{ types: ['*'], targets: ['*'], environments: ['*'] }],
    capabilities: [
      'alerts.ack',
      'alerts.manage',
      'audit.read',
      'replay',
      'users.manage',
      'hosts.manage',
      'incidents.manage',
      'notifications.test',
    ],
  },
};

/** A signed-in user as the API and the web app see them (never a password hash). */
export interface SessionUser {
  id: string;
  username: string;
  role: string;
  grants: RoleGrants;
  /**
   * An API token's own grants: the request may do only what BOTH `grants` (the
   * owner's role) and `scope` allow. Absent for a signed-in person.
   */
  scope?: RoleGrants;
}

export type Action =
  | { kind: 'view'; environment?: string }
  /** `host`: the enrolled host whose agent runs the target (absent for this server's own services). */
  | { kind: 'command'; type: string; target: string; environment: string; host?: string }
  | { kind: 'capability'; capability: Capability };

export function globMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

function anyMatches(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => globMatches(pattern, value));
}

/** The one permission check. A missing environment (host-wide data) is visible to every viewer. */
export function can(user: Pick<SessionUser, 'grants' | 'scope'> | null | undefined, action: Action): boolean {
  if (!user) return false;
  // A token: the intersection of its owner's role and its own grants.
  return grantsAllow(user.grants, action) && (user.scope === undefined || grantsAllow(user.scope, action));
}

function grantsAllow(grants: RoleGrants, action: Action): boolean {
  switch (action.kind) {
    case 'view':
      return action.environment === undefined || anyMatches(grants.environments, action.environment);
    case 'command':
      return (
        anyMatches(grants.environments, action.environment) &&
        grants.commands.some(
          (grant) =>
            (grant.types.includes('*') || grant.types.includes(action.type)) &&
            anyMatches(grant.targets, action.target) &&
            anyMatches(grant.environments, action.environment) &&
            // A grant limited to hosts covers only agents' services on those hosts.
            (grant.hosts === undefined || (action.host !== undefined && anyMatches(grant.hosts, action.host))),
        )
      );
    case 'capability':
      return grants.capabilities.includes(action.capability);
  }
}

/** Why `can()` said no, in words for a tooltip or an error body. */
export function denialReason(user: Pick<SessionUser, 'role' | 'grants' | 'scope'>, action: Action): string {
  if (user.scope !== undefined && grantsAllow(user.grants, action)) {
    const what =
      action.kind === 'capability'
        ? action.capability
        : action.kind === 'command'
          ? `${action.type} on ${action.target} in ${action.environment}`
          : `viewing ${action.environment}`;
    return `this API token's grants do not include ${what}`;
  }
  switch (action.kind) {
    case 'view':
      return `role "${user.role}" may not view ${action.environment}`;
    case 'command':
      return `role "${user.role}" may not run ${action.type} on ${action.target} in ${action.environment}${action.host ? ` (host ${action.host})` : ''}`;
    case 'capability':
      return `role "${user.role}" lacks ${action.capability}`;
  }
}

/** POST /api/auth/login answers this (and sets the session and CSRF cookies). */
export interface LoginResponse {
  accessToken: string;
  /** Send as X-CSRF-Token on cookie-authenticated POST/PUT/PATCH/DELETE. */
  csrfToken: string;
  expiresAt: string;
  user: SessionUser;
}

/** GET /api/auth/me */
export interface MeResponse {
  user: SessionUser;
  csrfToken: string;
  expiresAt: string;
}

/** A user as GET /api/users lists them. */
export interface UserSummary {
  id: string;
  username: string;
  role: string;
  disabled: boolean;
  createdAt: string;
  /** The last successful sign-in (absent: never signed in). */
  lastLoginAt?: string;
}

/** A configured role as GET /api/roles lists it (for the users page's role choice). */
export interface RoleSummary {
  name: string;
  description?: string;
  grants: RoleGrants;
}

/** One open session of the signed-in user (GET /api/account/sessions). */
export interface AccountSession {
  id: string;
  since: string;
  expiresAt: string;
  ip?: string;
  /** The session this request was made with. */
  current: boolean;
}

export interface AccountSessionsResponse {
  sessions: AccountSession[];
}

export const SESSION_COOKIE = 'vigil_session';
export const CSRF_COOKIE = 'vigil_csrf';
export const CSRF_HEADER = 'x-csrf-token';

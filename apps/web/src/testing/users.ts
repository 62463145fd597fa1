import { DEFAULT_ROLES, roleSchema, type LoginResponse, type MeResponse, type SessionUser } from '@vigil/shared';

function user(id: string, role: string): SessionUser {
  return { id, username: role, role, grants: roleSchema.parse(DEFAULT_ROLES[role]) };
}

export const ADMIN = user('u-admin', 'admin');
export const OPERATOR = user('u-operator', 'operator');
export const VIEWER = user('u-viewer', 'viewer');

export const LATER = new Date(Date.now() + 3_600_000).toISOString();

export const loginResponse = (who: SessionUser = ADMIN): LoginResponse => ({
  accessToken: 'jwt',
  csrfToken: 'csrf-1',
  expiresAt: LATER,
  user: who,
});

export const meResponse = (who: SessionUser = ADMIN): MeResponse => ({ user: who, csrfToken: 'csrf-2', expiresAt: LATER });

export const UNAUTHORIZED = { status: 401, statusText: 'Unauthorized' };
export const unauthorizedBody = (message = 'Unauthorized') => ({ statusCode: 401, error: 'Unauthorized', message });

import type { OidcConfig } from '../../config/oidc-config.schema';

/** The groups a claim lists: an array of strings, or one string (some providers send one group so). */
export function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/**
 * The role for these groups: the first `roleMap` entry (in config order) whose
 * group the user is in, else `defaultRole`, else undefined (refused).
 */
export function mappedRole(config: Pick<OidcConfig, 'roleMap' | 'defaultRole'>, groups: readonly string[]): string | undefined {
  for (const [group, role] of Object.entries(config.roleMap)) if (groups.includes(group)) return role;
  return config.defaultRole;
}

import type { RoleGrants } from '@vigil/shared';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { grantsOf } from '../user-events';
import type { TokenRecord } from './tokens-state';

/** A token's own grants: its role's as configured now (a role gone from the config grants nothing), or its explicit ones. */
export function tokenScopeOf(config: VigilConfig, token: Pick<TokenRecord, 'role' | 'grants'>): RoleGrants {
  if (token.grants) return token.grants;
  return grantsOf(config, token.role ?? '');
}

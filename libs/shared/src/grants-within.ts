import type { CommandGrant, RoleGrants } from './access-schemas';

/**
 * Whether `inner` grants nothing that `outer` does not: the check that a new API
 * token is no wider than the token (or role) creating it. Conservative: each
 * pattern and each command grant of `inner` must be covered by one of `outer`'s;
 * true answers are always right, a rare false one only refuses a token.
 */
export function grantsWithin(inner: RoleGrants, outer: RoleGrants): boolean {
  return (
    inner.environments.every((pattern) => covered(pattern, outer.environments)) &&
    inner.capabilities.every((capability) => outer.capabilities.includes(capability)) &&
    inner.commands.every((grant) => outer.commands.some((wider) => commandGrantWithin(grant, wider)))
  );
}

function commandGrantWithin(inner: CommandGrant, outer: CommandGrant): boolean {
  const typesOk = outer.types.includes('*') || (!inner.types.includes('*') && inner.types.every((type) => outer.types.includes(type)));
  return (
    typesOk &&
    inner.targets.every((pattern) => covered(pattern, outer.targets)) &&
    inner.environments.every((pattern) => covered(pattern, outer.environments))
  );
}

/** A glob (`*`, `name`, `prefix*`) matches only what one of `outer` matches. */
function covered(pattern: string, outer: readonly string[]): boolean {
  return outer.some((wider) => {
    if (wider === '*') return true;
    if (wider.endsWith('*')) return pattern !== '*' && pattern.startsWith(wider.slice(0, -1));
    return pattern === wider;
  });
}

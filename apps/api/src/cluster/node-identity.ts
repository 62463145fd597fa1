import { hostname } from 'node:os';

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** VIGIL_NODE_NAME, else the host name: letters, digits, `.`, `_`, `-`, up to 63 characters. */
export function readNodeName(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.VIGIL_NODE_NAME;
  const name = raw === undefined || raw === '' ? hostname() : raw;
  if (!NODE_NAME.test(name)) {
    throw new Error(`VIGIL_NODE_NAME must be 1 to 63 letters, digits, ".", "_" or "-" (starting with a letter or digit), got "${name}"`);
  }
  return name;
}

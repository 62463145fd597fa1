import { canonicalJson } from '@vigil/shared';
import { createHash } from 'node:crypto';

/** sha256 (hex) over the canonical JSON of a projection's state: key order and Map order do not matter. */
export function stateDigest(state: unknown): string {
  return createHash('sha256').update(canonicalJson(state)).digest('hex');
}

/** One digest over every projection's: sha256 of the canonical JSON of {name: digest}. */
export function overallDigest(digests: Readonly<Record<string, string>>): string {
  return stateDigest(digests);
}

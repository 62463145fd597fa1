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

/**
 * The digest of a long list without holding it: equal to stateDigest([...items]),
 * since canonical JSON of an array is its items' canonical JSON joined by commas.
 */
export function sequenceDigest(items: Iterable<unknown>): string {
  const hash = createHash('sha256').update('[');
  let first = true;
  for (const item of items) {
    if (!first) hash.update(',');
    hash.update(item === undefined ? 'null' : canonicalJson(item));
    first = false;
  }
  return hash.update(']').digest('hex');
}

/** sequenceDigest of items read one at a time from an async source (a store's pages). */
export async function asyncSequenceDigest(items: AsyncIterable<unknown>): Promise<string> {
  const hash = createHash('sha256').update('[');
  let first = true;
  for await (const item of items) {
    if (!first) hash.update(',');
    hash.update(item === undefined ? 'null' : canonicalJson(item));
    first = false;
  }
  return hash.update(']').digest('hex');
}

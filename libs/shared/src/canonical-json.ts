/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped.
 * The hash chain is computed over this form, so the same event always hashes
 * the same way whatever order its keys were built in.
 *
 * One walk (CanonicalWalk) serves this and canonicalize(), the event log's
 * append path: one string built by concatenation, no intermediate arrays.
 */
export function canonicalJson(value: unknown): string {
  return new CanonicalWalk(false).text(value);
}

/** Object keys in canonical order: by UTF-16 code units, as Array.prototype.sort() has them. */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  if (keys.length > 16) return keys.sort();
  // Insertion sort: for the few keys of a typical object it is faster than sort(),
  // which allocates working storage on every call (the append path sorts 3 objects per event).
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** JSON text of object keys seen before (the same few keys recur in every event), bounded. */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_LIMIT = 2000;
const QUOTED_KEY_MAX_LENGTH = 64;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_LIMIT && key.length <= QUOTED_KEY_MAX_LENGTH) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** canonicalJson() of a value and the value as JSON.parse() of that text gives it back. */
export interface Canonical {
  json: string;
  value: unknown;
}

/**
 * canonicalJson(value) and, from the same walk, a fresh copy equal to
 * JSON.parse() of it: plain objects and arrays, keys in sorted order, no
 * undefined members, null for what JSON has no text for, -0 as 0. The event log
 * stores the text and hands out the copy, instead of serialising and parsing
 * back every event it appends (the copy shares nothing with the input).
 */
export function canonicalize(value: unknown): Canonical {
  const walk = new CanonicalWalk(true);
  const json = walk.text(value);
  return { json, value: walk.copy };
}

/**
 * The one walk behind both: `text()` answers the canonical JSON and, when
 * `keepCopy`, leaves the parsed-back copy in `copy` (canonicalJson builds none).
 */
class CanonicalWalk {
  copy: unknown = null;

  constructor(private readonly keepCopy: boolean) {}

  text(value: unknown): string {
    switch (typeof value) {
      case 'string':
        this.copy = value;
        return JSON.stringify(value);
      case 'number':
        if (!Number.isFinite(value)) break;
        this.copy = value === 0 ? 0 : value; // -0 reads back as 0
        return JSON.stringify(value);
      case 'boolean':
        this.copy = value;
        return value ? 'true' : 'false';
      case 'bigint':
        return JSON.stringify(value); // throws, as canonicalJson does
      case 'object':
        if (value === null) break;
        return Array.isArray(value) ? this.array(value) : this.object(value as Record<string, unknown>);
      default:
        break;
    }
    this.copy = null;
    return 'null';
  }

  private array(items: readonly unknown[]): string {
    const copy = this.keepCopy ? new Array<unknown>(items.length) : undefined;
    let text = '[';
    for (let index = 0; index < items.length; index++) {
      if (index > 0) text += ',';
      // Holes and undefined items are null, as JSON has them.
      const item = items[index];
      if (item === undefined) {
        text += 'null';
        if (copy) copy[index] = null;
      } else {
        text += this.text(item);
        if (copy) copy[index] = this.copy;
      }
    }
    this.copy = copy ?? null;
    return `${text}]`;
  }

  private object(record: Record<string, unknown>): string {
    const keys = sortedKeys(record);
    const copy: Record<string, unknown> | undefined = this.keepCopy ? {} : undefined;
    let text = '';
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      text += `${text === '' ? '{' : ','}${quotedKey(key)}:${this.text(member)}`;
      if (!copy) continue;
      // JSON.parse makes "__proto__" an own member; an assignment would set the prototype.
      if (key === '__proto__') Object.defineProperty(copy, key, { value: this.copy, enumerable: true, writable: true, configurable: true });
      else copy[key] = this.copy;
    }
    this.copy = copy ?? null;
    return text === '' ? '{}' : `${text}}`;
  }
}

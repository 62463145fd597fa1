/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped.
 * The hash chain is computed over this form, so the same event always hashes
 * the same way whatever order its keys were built in.
 *
 * On the append path of the event log (every event's data and meta), so written
 * for speed: one string built by concatenation, no intermediate arrays.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as Record<string, unknown>);
    case 'boolean':
    case 'bigint': // JSON.stringify throws for it: such data cannot be stored
      return JSON.stringify(value);
    default:
      // What JSON has no text for (undefined, functions, symbols) stands as null, as in an array.
      return 'null';
  }
}

function canonicalArray(items: readonly unknown[]): string {
  let text = '[';
  for (let index = 0; index < items.length; index++) {
    if (index > 0) text += ',';
    // Holes and undefined items are null, as JSON has them.
    const item = items[index];
    text += item === undefined ? 'null' : canonicalJson(item);
  }
  return `${text}]`;
}

function canonicalObject(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let text = '';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    text += `${text === '' ? '{' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return text === '' ? '{}' : `${text}}`;
}

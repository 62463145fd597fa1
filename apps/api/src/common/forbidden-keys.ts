/**
 * JSON.parse reviver that refuses prototype-polluting keys anywhere in a body.
 * body-parser turns the throw into a 400, before any handler sees the object.
 */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export class ForbiddenKeyError extends Error {
  constructor(readonly key: string) {
    super(`forbidden key "${key}" in JSON body`);
    this.name = 'ForbiddenKeyError';
  }
}

export function rejectForbiddenKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN.has(key)) throw new ForbiddenKeyError(key);
  return value;
}

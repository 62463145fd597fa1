import { canonicalJson, type CommandRequest } from '@vigil/shared';
import { createHash, randomUUID } from 'node:crypto';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hash of the request as the client meant it: a repeat must match it exactly. */
export function requestHash(request: CommandRequest): string {
  return sha256(canonicalJson(request));
}

/**
 * With an Idempotency-Key the command id is derived from (actor, key), so a repeat
 * lands on the same command stream and the log itself decides who was first.
 */
export function commandIdFor(actorId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  const hex = sha256(`${actorId}\u0000${idempotencyKey}`);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

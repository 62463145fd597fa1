import { Injectable } from '@nestjs/common';

/**
 * States of flows already finished here, until their flow would expire: a replayed
 * callback (same cookie, same code) is refused before the code is even sent. The
 * provider refuses a reused code anyway; this also covers a second node that never
 * saw the first callback only through the provider's own check.
 */
@Injectable()
export class UsedStates {
  private readonly used = new Map<string, number>();

  /** True the first time a state is presented; false for a replay. */
  claim(state: string, expiresAt: number, now = Date.now()): boolean {
    for (const [key, until] of this.used) if (until <= now) this.used.delete(key);
    if (this.used.has(state)) return false;
    this.used.set(state, expiresAt);
    return true;
  }
}

import { chainHash, GENESIS_HASH } from './event-hash';
import type { RawRow } from './stored-event';
import type { VerifyResult } from './event-store';

/**
 * The verify() walk shared by both engines: fed the rows in position order, it
 * recomputes each hash from the previous one and names the first position that
 * does not check out (missing, altered, or its environment column changed).
 */
export class ChainCheck {
  private previousHash = GENESIS_HASH;
  private expectedPosition = 1;
  private checked = 0;

  /** `lastPosition`: the head the store knows (what a cut-short log is measured against). */
  constructor(private readonly lastPosition: number) {}

  /** The last hash checked (the genesis hash before the first row). */
  get lastHash(): string {
    return this.previousHash;
  }

  /** Checks one row; answers the failure, or undefined when the row checks out. */
  add(row: RawRow): VerifyResult | undefined {
    const [position, stream, version, type, environment, dataJson, metaJson, time, hash] = row;
    if (position !== this.expectedPosition) {
      return this.broken(this.expectedPosition, `position ${this.expectedPosition} is missing`);
    }
    const recomputed = chainHash(this.previousHash, { position, stream, version, type, time, dataJson, metaJson });
    if (recomputed !== hash) return this.broken(position, `hash mismatch at position ${position}`);
    // The environment column is a copy of meta.environment (for filtering): it must agree.
    if (environment !== ((JSON.parse(metaJson) as { environment?: string }).environment ?? null)) {
      return this.broken(position, `environment column altered at position ${position}`);
    }
    this.previousHash = hash;
    this.expectedPosition += 1;
    this.checked += 1;
    return undefined;
  }

  /** After the last row: rows cut from the end leave no gap to find, only the known head tells. */
  finish(): VerifyResult {
    if (this.checked < this.lastPosition) {
      return this.broken(this.checked + 1, `positions ${this.checked + 1} to ${this.lastPosition} are missing (the log was cut short)`);
    }
    return { ok: true, checked: this.checked, lastPosition: this.lastPosition };
  }

  broken(firstBadPosition: number, reason: string): VerifyResult {
    return { ok: false, checked: this.checked, lastPosition: this.lastPosition, firstBadPosition, reason };
  }
}

// Types for the realistic event generator, so TypeScript specs can fold the same events the benchmarks do.
import type { StoredEvent } from '@vigil/shared';

export function realisticStoredEventChunks(
  count: number,
  options?: { chunk?: number; startMs?: number; stepMs?: number },
): Generator<StoredEvent[]>;

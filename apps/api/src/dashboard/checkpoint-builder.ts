import { DashboardFold, initialDashboardState, type DashboardState, type StoredEvent } from '@vigil/shared';
import type { EventStore } from '../event-store/event-store';
import type { CheckpointStore, DashboardCheckpoint } from './checkpoint-store';

/** Checkpoints written per transaction while catching up. */
const SAVE_BATCH = 16;

/**
 * Folds one event; when its position is a multiple of `every`, the state after it
 * is pushed to `out`. Multiples (not "every N since the last one") make a rebuild
 * write the same checkpoints as the live fold did. A state the fold hands out is
 * immutable, so the pushed state can be encoded later.
 */
export function foldForCheckpoints(fold: DashboardFold, event: StoredEvent, every: number, out: DashboardCheckpoint[]): void {
  if (fold.add(event) && event.position % every === 0)
    out.push({ position: event.position, time: event.time, hash: event.hash, state: fold.state() });
}

export interface CheckpointBuildOptions {
  /** A checkpoint every this many events. */
  every: number;
  /** Drop every checkpoint and refold from position 1 (`vigil rebuild`). */
  rebuild?: boolean;
  /** Checked between events: a shutdown stops the build (what is saved stays valid). */
  stopped?: () => boolean;
}

export interface CheckpointBuild {
  /** Why the existing checkpoints were dropped, if they were. */
  reset?: string;
  /** Position the fold started after. */
  from: number;
  folded: number;
  written: number;
  /** The state at the log position the build reached (metrics empty). */
  state: DashboardState;
  /** The fold that reached it, to go on with live events. */
  fold: DashboardFold;
}

/** Why the stored checkpoints cannot be used with this log, if so. */
async function invalidReason(store: EventStore, checkpoints: CheckpointStore): Promise<string | undefined> {
  if (await checkpoints.hasOtherVersions()) return 'the checkpoint schema version changed';
  const latest = await checkpoints.latest();
  if (!latest) return undefined;
  // On a shared database another node may have written a checkpoint past this node's last known position: look in the log itself.
  let found = false;
  for await (const event of store.read(latest.position, { toPosition: latest.position, pageSize: 1 })) {
    found = true;
    if (event.hash === latest.hash) return undefined;
  }
  if (!found) return `checkpoint ${latest.position} is beyond the log's last position ${store.position}`;
  return `the event at checkpoint ${latest.position} is not the one folded`;
}

/**
 * The latest checkpoint, if the stored ones belong to this log and this schema
 * version (otherwise the checkpoint build drops them): where a fold of the whole
 * log can start instead of position 1.
 */
export async function usableCheckpoint(store: EventStore, checkpoints: CheckpointStore): Promise<DashboardCheckpoint | undefined> {
  if (await invalidReason(store, checkpoints)) return undefined;
  return checkpoints.atOrBefore(Math.max(store.position, (await checkpoints.latest())?.position ?? 0));
}

/**
 * (Re)builds the dashboard checkpoints up to the log's current head: drops them if
 * asked, if their schema version changed or if they belong to another log, then
 * folds from the latest checkpoint (or from the start), writing one every `every`
 * events. Safe to run from "no checkpoints" and to stop at any point.
 */
export async function buildCheckpoints(
  store: EventStore,
  checkpoints: CheckpointStore,
  options: CheckpointBuildOptions,
): Promise<CheckpointBuild> {
  const reset = options.rebuild ? 'rebuild requested' : await invalidReason(store, checkpoints);
  if (reset) await checkpoints.reset();
  const fold = new DashboardFold((await checkpoints.atOrBefore(Number.MAX_SAFE_INTEGER))?.state ?? initialDashboardState());
  const from = fold.position;
  let folded = 0;
  let written = 0;
  let pending: DashboardCheckpoint[] = [];
  for await (const event of store.read(from + 1)) {
    if (options.stopped?.()) break;
    foldForCheckpoints(fold, event, options.every, pending);
    folded += 1;
    if (pending.length >= SAVE_BATCH) {
      await checkpoints.save(pending);
      written += pending.length;
      pending = [];
    }
  }
  await checkpoints.save(pending);
  written += pending.length;
  return { reset, from, folded, written, state: fold.state(), fold };
}

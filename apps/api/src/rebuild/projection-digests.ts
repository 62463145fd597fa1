import type { AlertRule } from '@vigil/shared';
import { AuditProjection } from '../audit/audit.projection';
import type { AuditStore } from '../audit/audit-store';
import type { EventStore } from '../event-store/event-store';
import { buildCheckpoints } from '../dashboard/checkpoint-builder';
import type { CheckpointStore } from '../dashboard/checkpoint-store';
import { inMemoryProjections, type InMemoryFold } from './in-memory-folds';
import { asyncSequenceDigest, stateDigest } from '../projections/state-digest';

export type ProjectionKind = 'persisted' | 'in-memory';

export interface ProjectionDigest {
  name: string;
  kind: ProjectionKind;
  /** sha256 hex of the canonical JSON of its state. */
  digest: string;
}

/**
 * The audit read model as the server would serve it: caught up from its stored
 * checkpoint by the server's own start-up code (schema version and checkpoint
 * checks included), then digested row by row.
 */
export async function catchUpAudit(store: EventStore, audit: AuditStore): Promise<ProjectionDigest> {
  const projection = new AuditProjection(store, audit);
  await projection.start();
  await projection.stop();
  async function* rows(): AsyncGenerator {
    for await (const page of audit.pages({})) yield* page;
  }
  return { name: audit.name, kind: 'persisted', digest: await asyncSequenceDigest(rows()) };
}

/** Name of the dashboard checkpoints (replay) in the digest table. */
export const CHECKPOINTS_PROJECTION_NAME = 'replay-checkpoints';

/**
 * The replay checkpoints, caught up by the server's own start-up build (or, with
 * `rebuild`, dropped and refolded from position 1), then digested checkpoint by checkpoint.
 */
export async function catchUpCheckpoints(
  store: EventStore,
  checkpoints: CheckpointStore,
  every: number,
  rebuild: boolean,
): Promise<ProjectionDigest> {
  await buildCheckpoints(store, checkpoints, { every, rebuild });
  const positions = await checkpoints.positions();
  // One decoded checkpoint at a time: together they can be far larger than memory wants.
  async function* all(): AsyncGenerator {
    for (const position of positions) yield await checkpoints.atOrBefore(position);
  }
  return { name: CHECKPOINTS_PROJECTION_NAME, kind: 'persisted', digest: await asyncSequenceDigest(all()) };
}

/**
 * The in-memory read models. `start-up` folds each one from the event types its
 * server code reads at start; `full-log` feeds every event to every fold, so a
 * type its start-up read leaves out but that changes it would show as a difference.
 */
export async function foldInMemory(
  store: EventStore,
  configRules: readonly AlertRule[],
  mode: 'start-up' | 'full-log',
): Promise<ProjectionDigest[]> {
  const projections = inMemoryProjections(configRules);
  const digests: ProjectionDigest[] = [];
  if (mode === 'start-up') {
    for (const projection of projections) {
      const fold = projection.create();
      for await (const event of store.read(1, { types: projection.types })) fold.apply(event);
      digests.push({ name: projection.name, kind: 'in-memory', digest: stateDigest(fold.state()) });
    }
    return digests;
  }
  const folds: InMemoryFold[] = projections.map((projection) => projection.create());
  for await (const event of store.read(1)) for (const fold of folds) fold.apply(event);
  return projections.map((projection, i) => ({ name: projection.name, kind: 'in-memory', digest: stateDigest(folds[i].state()) }));
}

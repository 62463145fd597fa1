import type { ServiceView } from '@vigil/shared';

/**
 * What GET /api/services reads: each service's view as the events tell it (by
 * serviceKey), and the time its uptimes count to. The live dashboard projection and
 * now, or an incident bundle's state at the window's end and that end.
 */
export abstract class ServicesReadModel {
  abstract services(): Readonly<Record<string, ServiceView>>;
  abstract now(): number;
}

import type { HostView, ServiceView } from '@vigil/shared';
import type { DashboardProjection } from '../dashboard/dashboard.projection';

/**
 * What GET /api/services reads: each service's view as the events tell it (by
 * serviceKey), and the time its uptimes count to. The live dashboard projection and
 * now, or an incident bundle's state at the window's end and that end.
 */
export abstract class ServicesReadModel {
  abstract services(): Readonly<Record<string, ServiceView>>;
  abstract now(): number;
  /** The enrolled agent hosts and the services they declared. */
  abstract hosts(): Readonly<Record<string, HostView>>;
}

/** The live server's: the dashboard projection, now. */
export class DashboardServices extends ServicesReadModel {
  constructor(private readonly dashboard: DashboardProjection) {
    super();
  }

  services(): Readonly<Record<string, ServiceView>> {
    return this.dashboard.current.services;
  }

  now(): number {
    return Date.now();
  }

  hosts(): Readonly<Record<string, HostView>> {
    return this.dashboard.current.hosts ?? {};
  }
}

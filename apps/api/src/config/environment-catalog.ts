import type { VigilConfig } from './vigil-config.schema';

export interface KnownService {
  name: string;
  /** Instances it is configured with (what GET /api/services shows before its first event). */
  instances: number;
  /** The cluster node (or agent host) that runs it; absent: the leader. */
  host?: string;
}

export interface KnownEnvironment {
  name: string;
  label?: string;
  services: readonly KnownService[];
}

/**
 * The environments a server answers for, in order, with their services: the
 * configured ones on the live server, the ones an incident bundle shows on a review
 * server. GET /api/environments lists them; an `environment` filter must name one.
 */
export abstract class EnvironmentCatalog {
  abstract readonly environments: readonly KnownEnvironment[];
}

/** A catalog that does not change while the server runs: the config's (live), or the bundle's (review). */
export class FixedEnvironments extends EnvironmentCatalog {
  constructor(readonly environments: readonly KnownEnvironment[]) {
    super();
  }
}

/** The live server's catalog: vigil.config.yaml's environments. */
export function configuredEnvironments(config: VigilConfig): EnvironmentCatalog {
  return new FixedEnvironments(config.environments);
}

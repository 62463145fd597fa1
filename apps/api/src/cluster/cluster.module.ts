import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import type { DatabaseSettings } from '../database/database-settings';
import { DATABASE_SETTINGS, PG_POOL } from '../database/database.tokens';
import { pgClientConfig } from '../database/pg-pool';
import { unreachable } from '../database/postgres-migrations';
import { ConfigError } from '../config/load-config';
import { Cluster } from './cluster';
import { readNodeName } from './node-identity';
import { PgCluster } from './pg-cluster';
import { SingleNodeCluster } from './single-node-cluster';

/** Leaves the cluster at shutdown (before the pool ends): gives the lease up and marks the node stopped. */
@Injectable()
class ClusterShutdown implements OnApplicationShutdown {
  constructor(@Inject(Cluster) private readonly cluster: Cluster) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.cluster instanceof PgCluster) await this.cluster.close();
  }
}

/**
 * The node's place in the cluster (global: leader-only work anywhere follows
 * `Cluster.leader$`). Under SQLite one node, always leader; under PostgreSQL the
 * node registry and the leader lease (its own dedicated session, not the pool's).
 */
@Global()
@Module({
  providers: [
    {
      provide: Cluster,
      inject: [DATABASE_SETTINGS, PG_POOL],
      useFactory: async (database: DatabaseSettings, pool: pg.Pool | null): Promise<Cluster> => {
        const nodeName = readNodeName();
        if (database.kind !== 'postgres' || !pool) return new SingleNodeCluster(nodeName);
        try {
          return await PgCluster.start({ nodeName, connection: (name) => pgClientConfig(database, name) }, pool);
        } catch (error) {
          // A name taken by a live node says so; anything else here is the database not answering.
          throw error instanceof ConfigError ? error : unreachable(database, error);
        }
      },
    },
    ClusterShutdown,
  ],
  exports: [Cluster],
})
export class ClusterModule {}

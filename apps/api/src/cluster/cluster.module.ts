import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { Cluster } from './cluster';
import { readClusterSettings } from './cluster-settings';
import { PgCluster } from './pg-cluster';
import { SingleNodeCluster } from './single-node-cluster';

/** Leaves the cluster last: gives the lease up and marks the node stopped. */
@Injectable()
class ClusterShutdown implements OnApplicationShutdown {
  constructor(@Inject(Cluster) private readonly cluster: Cluster) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.cluster instanceof PgCluster) await this.cluster.close();
  }
}

/**
 * The node's place in the cluster (global: leader-only work anywhere follows
 * `Cluster.leader$`). Under SQLite one node, always leader.
 */
@Global()
@Module({
  providers: [
    {
      provide: Cluster,
      useFactory: async (): Promise<Cluster> => {
        const settings = readClusterSettings();
        if (!settings.databaseUrl) return new SingleNodeCluster(settings.nodeName);
        const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 3 });
        return PgCluster.start({ url: settings.databaseUrl, nodeName: settings.nodeName }, pool);
      },
    },
    ClusterShutdown,
  ],
  exports: [Cluster],
})
export class ClusterModule {}

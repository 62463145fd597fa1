import type { Cluster } from '../cluster/cluster';
import type { EventStore } from '../event-store/event-store';
import type { MetricsService } from '../metrics/metrics.service';
import type { StreamHub } from '../streaming/stream-hub.service';

/**
 * What GET /api/health reports beyond the process itself: the live server's hub,
 * log and metrics, or a review server's bundle (its replays, its last position and
 * sample).
 */
export abstract class HealthSource {
  abstract readonly mode: 'live' | 'review';
  /** Streams open now (a review server has only replays). */
  abstract activeClients(): number;
  abstract eventLogPosition(): number;
  abstract lastMetricAt(): string | null;
  /** This node and the cluster's nodes (live server only). */
  cluster(): ClusterHealth | undefined {
    return undefined;
  }
}

export interface ClusterHealth {
  node: { name: string; leader: boolean };
  cluster: { nodes: { name: string; leader: boolean; alive: boolean; lastSeenAt: string }[] };
}

/** The live server's: its SSE hub, its event log, its metrics. */
export class LiveHealth extends HealthSource {
  readonly mode = 'live';

  constructor(
    private readonly store: EventStore,
    private readonly hub: StreamHub,
    private readonly metrics: MetricsService,
    private readonly nodes: Cluster,
  ) {
    super();
  }

  override cluster(): ClusterHealth {
    return {
      node: { name: this.nodes.nodeName, leader: this.nodes.isLeader() },
      cluster: { nodes: this.nodes.nodes().map(({ name, leader, alive, lastSeenAt }) => ({ name, leader, alive, lastSeenAt })) },
    };
  }

  activeClients(): number {
    return this.hub.activeClients;
  }

  eventLogPosition(): number {
    return this.store.position;
  }

  lastMetricAt(): string | null {
    return this.metrics.lastMetricAt;
  }
}

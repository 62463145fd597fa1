import type { Observable } from 'rxjs';

/** A node as GET /api/health lists it. */
export interface ClusterNode {
  name: string;
  /** Holds the leader lease now. */
  leader: boolean;
  /** Its heartbeat is recent and it has not stopped. */
  alive: boolean;
  lastSeenAt: string;
}

/**
 * This process's place in the cluster: its node name, whether it holds the leader
 * lease, and which nodes are alive. One abstract class (the injection token) with two
 * bodies: SingleNodeCluster (SQLite: one node, always leader) and PgCluster
 * (PostgreSQL: node registry with heartbeats, advisory-lock lease).
 *
 * Leader-only work follows `leader$` (see whileLeader): it starts on `true` and is
 * stopped on `false`, which is emitted as soon as the lease session fails, before
 * the database lets another node take the lock.
 */
export abstract class Cluster {
  /** This node's name (VIGIL_NODE_NAME, default the host name). */
  abstract readonly nodeName: string;
  /** Several nodes may share the log (PostgreSQL); false under SQLite. */
  abstract readonly clustered: boolean;
  /** Whether this node holds the lease; replays the current value to a new subscriber; distinct values only. */
  abstract readonly leader$: Observable<boolean>;
  abstract isLeader(): boolean;
  /** The registered nodes as last read (refreshed with every heartbeat). */
  abstract nodes(): ClusterNode[];
  /** Whether a node with this name has a recent heartbeat. */
  isAlive(name: string): boolean {
    return this.nodes().some((node) => node.name === name && node.alive);
  }
  /** The live leader's name, if any. */
  leaderName(): string | undefined {
    return this.nodes().find((node) => node.leader && node.alive)?.name;
  }
  /**
   * A secret shared by every node (e.g. the JWT signing key), created once by
   * whichever node asks first. undefined: the cluster keeps none (single node).
   */
  abstract sharedSecret(name: string, create: () => string): Promise<string | undefined>;
  /** Sends a short message (< 8000 bytes) to every node, this one included. */
  abstract broadcast(channel: string, payload: string): void;
  /** Messages broadcast on a channel by any node. */
  abstract messages$(channel: string): Observable<string>;
}

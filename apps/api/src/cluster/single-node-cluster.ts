import { BehaviorSubject, EMPTY, type Observable } from 'rxjs';
import { Cluster, type ClusterNode } from './cluster';

/** SQLite: one node, always the leader; nothing to share with anyone. */
export class SingleNodeCluster extends Cluster {
  readonly clustered = false;
  readonly leader$: Observable<boolean> = new BehaviorSubject(true).asObservable();

  constructor(readonly nodeName = 'local') {
    super();
  }

  isLeader(): boolean {
    return true;
  }

  nodes(): ClusterNode[] {
    return [{ name: this.nodeName, leader: true, alive: true, lastSeenAt: new Date().toISOString() }];
  }

  sharedSecret(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  broadcast(): void {
    // One node: nobody else to tell.
  }

  messages$(): Observable<string> {
    return EMPTY;
  }
}

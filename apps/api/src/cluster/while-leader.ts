import type { Logger } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { Cluster } from './cluster';

export interface LeaderWork {
  /** Called when this node gains the lease (at once if it holds it already). */
  start(): void | Promise<void>;
  /** Called when it loses the lease (and on unsubscribe while leader): stop at once. */
  stop(): void | Promise<void>;
}

/**
 * Runs `work` while this node is the leader. `stop` is called synchronously on the
 * `false` emission, which the cluster sends the moment its lease session fails:
 * leader-only work ends before the database frees the lock for another node.
 */
export function whileLeader(cluster: Cluster, name: string, work: LeaderWork, logger: Pick<Logger, 'error'>): Subscription {
  let running = false;
  const call = (what: 'start' | 'stop'): void => {
    try {
      const result = work[what]();
      if (result)
        result.catch((error: unknown) => {
          logger.error(`${name}: ${what} failed: ${String(error)}`);
        });
    } catch (error) {
      logger.error(`${name}: ${what} failed: ${String(error)}`);
    }
  };
  const subscription = cluster.leader$.subscribe((leader) => {
    if (leader === running) return;
    running = leader;
    call(leader ? 'start' : 'stop');
  });
  subscription.add(() => {
    if (running) {
      running = false;
      call('stop');
    }
  });
  return subscription;
}

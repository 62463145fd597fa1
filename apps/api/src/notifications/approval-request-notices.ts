import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventMeta, NewEvent, StoredEvent } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { Cluster } from '../cluster/cluster';
import { SingleNodeCluster } from '../cluster/single-node-cluster';
import type { NotificationsConfig } from '../config/notifications-config.schema';
import { EventStore } from '../event-store/event-store';
import { followCommitted } from '../event-store/follow-committed';
import type { AlertNotice } from './notification-format';
import { globToRegExp, NOTIFICATIONS_CONFIG, NOTIFICATIONS_STREAM, NotificationService } from './notification.service';

/**
 * "Someone asks for a second pair of eyes": each committed `command.approval-requested`
 * goes, once per cluster (by the leader), to the targets of every route with
 * `for: approvals` whose environments match, in the target's own format. One attempt
 * per target; the outcome is recorded as `notification.delivered` / `notification.failed`
 * naming the command, like an alert's.
 */
@Injectable()
export class ApprovalRequestNotices implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ApprovalNotices');
  private readonly routes: { targets: string[]; environments?: RegExp[] }[];
  private subscription?: Subscription;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) config: NotificationsConfig,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(NotificationService) private readonly notifications: NotificationService,
    // Optional: the notifications module also runs without the cluster module (its own spec); then this is the one node.
    @Optional() @Inject(Cluster) private readonly cluster: Cluster = new SingleNodeCluster(),
  ) {
    this.routes = config.routes
      .filter((route) => route.for === 'approvals')
      .map((route) => ({ targets: route.targets, environments: route.environments?.map(globToRegExp) }));
  }

  onApplicationBootstrap(): void {
    if (this.routes.length === 0) return;
    this.subscription = followCommitted(this.store, ['command.approval-requested'], (event) => this.notify(event), this.logger);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** The target names an approval request in `environment` goes to (each once). */
  targetsFor(environment: string): string[] {
    const names = this.routes
      .filter((route) => !route.environments || route.environments.some((glob) => glob.test(environment)))
      .flatMap((route) => route.targets);
    return [...new Set(names)];
  }

  private async notify(event: StoredEvent<'command.approval-requested'>): Promise<void> {
    if (!this.cluster.isLeader()) return;
    const request = event.data;
    const asker = event.meta.actor?.username ?? 'someone';
    const notice: AlertNotice = {
      status: 'firing',
      alertId: `approval-${request.commandId}`,
      rule: 'approval-requested',
      severity: 'warning',
      source: request.target,
      environment: request.environment,
      labels: { command: request.type, target: request.target, requester: asker, approvers: request.approvers.join(',') },
      message: `Approval needed: ${request.type} on ${request.target} in ${request.environment}, asked by ${asker}; approvers: ${request.approvers.join(', ')}; expires ${request.expiresAt}`,
      time: event.time,
      position: event.position,
    };
    const meta: EventMeta = {
      environment: request.environment,
      correlationId: event.meta.correlationId,
      causationId: String(event.position),
    };
    for (const name of this.targetsFor(request.environment)) {
      const target = this.notifications.targets().find((candidate) => candidate.name === name);
      if (!target) continue;
      let outcome: NewEvent;
      try {
        await this.notifications.sendOnce(target, [notice]);
        outcome = { type: 'notification.delivered', data: { target: name, alertIds: [request.commandId], attempt: 1 } };
      } catch (error) {
        const message = error instanceof Error ? error.message.slice(0, 300) : String(error);
        outcome = {
          type: 'notification.failed',
          data: { target: name, alertIds: [request.commandId], attempt: 1, error: message, final: true },
        };
      }
      await this.store.append(NOTIFICATIONS_STREAM, 'any', [outcome], meta);
    }
  }
}

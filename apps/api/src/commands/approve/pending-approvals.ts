import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { commandStreamOf, type EventType, type PendingApproval, type StoredEvent } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import { catchUpThenFollow } from '../../projections/catch-up-then-follow';

export const APPROVAL_EVENTS = [
  'command.approval-requested',
  'command.approved',
  'command.rejected',
  'command.expired',
] as const satisfies readonly EventType[];

const SYSTEM_ACTOR = { id: 'system', username: 'system', roles: [] };
/** setTimeout's longest delay; a later expiry is re-armed when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Requested = StoredEvent<'command.approval-requested'>;

/**
 * The commands awaiting approval, folded from the log at start and followed live,
 * and their expiry. Each pending request has a timer at its `expiresAt`; it appends
 * `command.expired` at the version right after the request, so an approval or a
 * rejection committed first wins and the expiry is dropped (and in a cluster, one
 * node's expiry wins). The timers are rebuilt from the log on every start, so a
 * request survives a crash, and one whose time passed while Vigil was down expires
 * as soon as it starts.
 */
@Injectable()
export class PendingApprovals implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Approvals');
  private readonly pending = new Map<string, Requested>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private position = 0;
  private armed = false;
  private subscription?: Subscription;

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await catchUpThenFollow(
      this.store,
      async () => {
        for await (const event of this.store.read(1, { types: APPROVAL_EVENTS })) this.apply(event);
      },
      (event) => {
        this.apply(event);
      },
    );
  }

  /** After recovery, before HTTP: arm every timer (overdue ones fire at once). */
  onApplicationBootstrap(): void {
    this.armed = true;
    for (const requested of this.pending.values()) this.arm(requested);
    if (this.pending.size > 0) this.logger.log(`${this.pending.size} command(s) awaiting approval`);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  get(commandId: string): Requested | undefined {
    return this.pending.get(commandId);
  }

  /** Oldest first. */
  list(): PendingApproval[] {
    return [...this.pending.values()].map((event) => ({
      commandId: event.data.commandId,
      type: event.data.type,
      target: event.data.target,
      environment: event.data.environment,
      params: event.data.params,
      requestedBy: { id: event.meta.actor?.id ?? 'anonymous', username: event.meta.actor?.username ?? 'anonymous' },
      requestedAt: event.time,
      expiresAt: event.data.expiresAt,
      approvers: event.data.approvers,
      position: event.position,
    }));
  }

  private apply(event: StoredEvent): void {
    if (event.position <= this.position) return;
    this.position = event.position;
    if (event.type === 'command.approval-requested') {
      this.pending.set(event.data.commandId, event);
      if (this.armed) this.arm(event);
      return;
    }
    if (event.type === 'command.approved' || event.type === 'command.rejected' || event.type === 'command.expired') {
      this.pending.delete(event.data.commandId);
      const timer = this.timers.get(event.data.commandId);
      if (timer) clearTimeout(timer);
      this.timers.delete(event.data.commandId);
    }
  }

  private arm(requested: Requested): void {
    const commandId = requested.data.commandId;
    const delay = Math.max(0, Date.parse(requested.data.expiresAt) - Date.now());
    const timer = setTimeout(
      () => {
        this.timers.delete(commandId);
        if (delay > MAX_TIMER_MS) this.arm(requested);
        else void this.expire(requested);
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(commandId, timer);
  }

  private async expire(requested: Requested): Promise<void> {
    if (!this.pending.has(requested.data.commandId)) return;
    const seconds = Math.round((Date.parse(requested.data.expiresAt) - Date.parse(requested.time)) / 1000);
    const within = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
    try {
      await this.store.append(
        commandStreamOf(requested.data.commandId),
        requested.version,
        [{ type: 'command.expired', data: { commandId: requested.data.commandId, reason: `not approved within ${within}` } }],
        {
          actor: SYSTEM_ACTOR,
          environment: requested.data.environment,
          correlationId: randomUUID(),
          causationId: String(requested.position),
        },
      );
    } catch (error) {
      // Approved or rejected meanwhile (or another node expired it): nothing to do.
      if (error instanceof ConcurrencyError) return;
      this.logger.error(`could not expire ${requested.data.commandId}: ${String(error)}`);
    }
  }
}

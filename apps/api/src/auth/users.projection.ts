import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EventType, StoredEvent, UserSummary } from '@vigil/shared';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { EventStore } from '../event-store/event-store';
import { oidcIdentityKey, UsersState, type UserChange, type UserRecord } from './users-state';
import { catchUpThenFollow } from '../projections/catch-up-then-follow';

/** The events the users fold reads (login failures change nothing in it; logins open sessions). */
export const USER_STATE_EVENTS = [
  'user.logged-in',
  'user.created',
  'user.role-changed',
  'user.password-changed',
  'user.disabled',
  'user.enabled',
  'user.logged-out',
] as const satisfies readonly EventType[];

const PRUNE_INTERVAL_MS = 60_000;

/**
 * Users, in memory: folded from the log at start, then followed live on
 * `events$` (like DashboardProjection). The guard reads a user's CURRENT role and
 * status here on every request, so a role change or a disable applies at once.
 */
@Injectable()
export class UsersProjection implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('UsersProjection');
  private readonly state = new UsersState();
  private readonly changes = new Subject<UserChange>();
  private subscription?: Subscription;
  private pruneTimer?: NodeJS.Timeout;
  private markReady!: () => void;

  /** A user was disabled or their role changed: their open streams should be re-checked or closed. */
  readonly changes$: Observable<UserChange> = this.changes.asObservable();
  /** Resolves once the log has been folded. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    // The fold skips positions it has already seen: nothing is applied twice.
    this.subscription = await catchUpThenFollow(
      this.store,
      async () => {
        for await (const event of this.store.read(1, { types: USER_STATE_EVENTS })) this.state.apply(event);
      },
      (event) => {
        this.applyLive(event);
      },
    );
    this.pruneTimer = setInterval(() => this.state.pruneRevoked(), PRUNE_INTERVAL_MS).unref();
    this.logger.log(`folded ${this.state.byId.size} user(s) in ${Date.now() - started} ms`);
    this.markReady();
  }

  private applyLive(event: StoredEvent): void {
    if (!event.type.startsWith('user.')) return;
    const change = this.state.apply(event);
    if (change) this.changes.next(change);
  }

  get(id: string): UserRecord | undefined {
    return this.state.byId.get(id);
  }

  byUsername(username: string): UserRecord | undefined {
    return this.state.byUsername.get(username);
  }

  /** The SSO user with this identity at this provider. */
  byOidcIdentity(issuer: string, subject: string): UserRecord | undefined {
    return this.state.byOidcIdentity.get(oidcIdentityKey(issuer, subject));
  }

  list(): UserSummary[] {
    return this.state.list();
  }

  get size(): number {
    return this.state.byId.size;
  }

  isRevoked(jti: string): boolean {
    return this.state.isRevoked(jti);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.changes.complete();
  }
}

import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EventType, StoredEvent } from '@vigil/shared';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { EventStore } from '../../event-store/event-store';
import { catchUpThenFollow } from '../../projections/catch-up-then-follow';
import { TokensState, type TokenRecord } from './tokens-state';

export const TOKEN_EVENTS = ['token.created', 'token.revoked'] as const satisfies readonly EventType[];

export interface TokenUse {
  at: string;
  ip?: string;
}

/**
 * API tokens in memory, folded from the log and followed live (like UsersProjection).
 * Last use is kept here only, not in the log: one event per authenticated request
 * would flood the audit trail and the disk. It is what this process saw since it
 * started (in a cluster, each node answers for the requests it served).
 */
@Injectable()
export class TokensProjection implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('TokensProjection');
  private readonly state = new TokensState();
  private readonly uses = new Map<string, TokenUse>();
  private readonly revocations = new Subject<TokenRecord>();
  private subscription?: Subscription;

  /** A token was revoked: streams opened with it must close. */
  readonly revoked$: Observable<TokenRecord> = this.revocations.asObservable();

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await catchUpThenFollow(
      this.store,
      async () => {
        for await (const event of this.store.read(1, { types: TOKEN_EVENTS })) this.state.apply(event);
      },
      (event) => {
        this.applyLive(event);
      },
    );
    this.logger.log(`folded ${this.state.byId.size} API token(s)`);
  }

  private applyLive(event: StoredEvent): void {
    if (!event.type.startsWith('token.')) return;
    const token = this.state.apply(event);
    if (token && event.type === 'token.revoked') this.revocations.next(token);
  }

  byHash(hash: string): TokenRecord | undefined {
    return this.state.byHash.get(hash);
  }

  get(id: string): TokenRecord | undefined {
    return this.state.byId.get(id);
  }

  all(): TokenRecord[] {
    return [...this.state.byId.values()];
  }

  recordUse(tokenId: string, ip: string | undefined, now = Date.now()): void {
    this.uses.set(tokenId, { at: new Date(now).toISOString(), ...(ip ? { ip } : {}) });
  }

  lastUse(tokenId: string): TokenUse | undefined {
    return this.uses.get(tokenId);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.revocations.complete();
  }
}

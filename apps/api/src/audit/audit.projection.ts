import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { StoredEvent } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { EventStore } from '../event-store/event-store';
import { AuditStore } from './audit-store';

/** Events folded per transaction while catching up from the checkpoint. */
const CATCH_UP_BATCH = 5_000;
/** A failed batch (disk full, locked file) is retried after this long, in order. */
const RETRY_MS = 1_000;

export interface AuditProjectionStats {
  /** Transactions written (catch-up and live). */
  batches: number;
  /** Events folded. */
  events: number;
  /** Events read back from the log at the last start. */
  caughtUp: number;
  /** Whether the last start found the read model inconsistent with the log and rebuilt it. */
  rebuilt: boolean;
}

interface Waiter {
  position: number;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * The audit trail as a read model: one row per command (denied attempts too) in
 * projections.db, folded from the log with `evolveAudit`.
 *
 * Start: subscribe to `events$` first and hold what arrives; check the checkpoint
 * still belongs to this log (its position exists and its hash matches, else
 * rebuild from scratch); fold the log from checkpoint+1 page by page; then apply
 * the held events beyond the checkpoint and go live. Live events are collected for
 * one turn of the event loop and folded in one transaction with the checkpoint,
 * so a burst of thousands of commands costs one commit, not one per event.
 */
@Injectable()
export class AuditProjection implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('AuditProjection');
  private subscription?: Subscription;
  private queue: StoredEvent[] = [];
  private catchingUp = true;
  private flushScheduled = false;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;
  /** The batch being written: batches are applied one at a time, in order. */
  private applying?: Promise<void>;
  private waiters: Waiter[] = [];
  readonly stats: AuditProjectionStats = { batches: 0, events: 0, caughtUp: 0, rebuilt: false };

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AuditStore) private readonly audit: AuditStore,
  ) {}

  /** Position of the last event folded into the read model. */
  get position(): number {
    return this.audit.position;
  }

  get reader(): AuditStore {
    return this.audit;
  }

  async onModuleInit(): Promise<void> {
    await this.start();
  }

  async start(): Promise<void> {
    const started = Date.now();
    this.subscription = this.store.events$.subscribe((event) => {
      this.enqueue(event);
    });
    const changed = await this.audit.versions.dropIfChanged(this.audit);
    if (changed) {
      this.logger.warn(`${changed}: dropped the audit read model, refolding it from the log`);
      this.stats.rebuilt = true;
    }
    await this.checkCheckpoint();
    let batch: StoredEvent[] = [];
    for await (const event of this.store.read(this.audit.position + 1)) {
      batch.push(event);
      if (batch.length >= CATCH_UP_BATCH) {
        await this.applyBatch(batch);
        batch = [];
      }
    }
    await this.applyBatch(batch);
    this.stats.caughtUp = this.stats.events;
    this.catchingUp = false;
    // Events committed during the catch-up: apply() skips those at or below the checkpoint.
    await this.flush();
    await this.recordVersion();
    this.logger.log(`caught up ${this.stats.caughtUp} events to position ${this.audit.position} in ${Date.now() - started} ms`);
  }

  private async recordVersion(): Promise<void> {
    try {
      await this.audit.versions.record(this.audit.name, this.audit.schemaVersion, this.audit.position);
    } catch (error) {
      this.logger.error(`recording the audit schema version failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A checkpoint beyond the log's end, or on an event with another hash, means another log: rebuild. */
  private async checkCheckpoint(): Promise<void> {
    const { position, hash } = this.audit.checkpoint;
    if (position === 0) return;
    let reason: string | undefined;
    if (position > this.store.position) {
      reason = `checkpoint ${position} is beyond the log's last position ${this.store.position}`;
    } else {
      let found: StoredEvent | undefined;
      for await (const event of this.store.read(position, { toPosition: position, pageSize: 1 })) found = event;
      if (found?.hash !== hash) reason = `the event at checkpoint ${position} is not the one folded`;
    }
    if (reason) {
      this.logger.warn(`${reason}: rebuilding the audit read model from the log`);
      await this.audit.reset();
      this.stats.rebuilt = true;
    }
  }

  private enqueue(event: StoredEvent): void {
    if (this.stopped) return;
    this.queue.push(event);
    if (!this.catchingUp && !this.flushScheduled && !this.retryTimer && !this.applying) {
      this.flushScheduled = true;
      setImmediate(() => {
        void this.flush();
      });
    }
  }

  /** Folds everything queued in one transaction; what arrives meanwhile goes in the next one. */
  private async flush(): Promise<void> {
    this.flushScheduled = false;
    while (this.applying) await this.applying;
    if (this.queue.length === 0) return;
    const applying = this.flushQueue();
    this.applying = applying.then(() => undefined);
    let written = false;
    try {
      written = await applying;
    } finally {
      this.applying = undefined;
    }
    if (written && this.queue.length > 0) await this.flush();
  }

  /** False when the batch failed (it is queued again, and retried unless stopped). */
  private async flushQueue(): Promise<boolean> {
    const batch = this.queue;
    this.queue = [];
    try {
      await this.applyBatch(batch);
      return true;
    } catch (error) {
      this.logger.error(
        `folding ${batch.length} events failed, retrying in ${RETRY_MS} ms: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.queue = batch.concat(this.queue);
      if (!this.stopped) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          void this.flush();
        }, RETRY_MS);
        this.retryTimer.unref();
      }
      return false;
    }
  }

  private async applyBatch(batch: readonly StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const folded = await this.audit.apply(batch);
    if (folded > 0) {
      this.stats.batches += 1;
      this.stats.events += folded;
    }
    this.settleWaiters();
  }

  /**
   * Resolves true once the read model has folded `position` (read-your-writes for
   * the API: a 202'd command is in the next audit answer), false after `timeoutMs`.
   */
  waitFor(position: number, timeoutMs = 2_000): Promise<boolean> {
    if (this.audit.position >= position) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((other) => other !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const position = this.audit.position;
    const waiting: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.position <= position) {
        clearTimeout(waiter.timer);
        waiter.resolve(true);
      } else {
        waiting.push(waiter);
      }
    }
    this.waiters = waiting;
  }

  /** Stops following the log and folds what is queued; the rest is caught up at the next start. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.subscription?.unsubscribe();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stopped = true;
    if (!this.catchingUp) {
      await this.flush();
      // The version row's position is refreshed at start and at a clean stop; the checkpoint is the live one.
      await this.recordVersion();
    }
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiters = [];
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
    await this.audit.close();
  }
}

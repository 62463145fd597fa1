import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  DashboardFold,
  evolveDashboard,
  initialDashboardState,
  type DashboardState,
  type StoredEvent,
} from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { EventStore } from '../event-store/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { usableCheckpoint } from '../replay/checkpoint-builder';
import { CheckpointStore } from '../replay/checkpoint-store';

/**
 * The server's copy of the dashboard state, folded with the same reducer the web
 * app and replay use. It is what a new stream gets as its `snapshot`.
 */
@Injectable()
export class DashboardProjection implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('DashboardProjection');
  private state: DashboardState = initialDashboardState();
  private subscription?: Subscription;
  private metricsSubscription?: Subscription;
  private pending: StoredEvent[] | undefined = [];

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(CheckpointStore) private readonly checkpoints: CheckpointStore,
  ) {}

  async onModuleInit(): Promise<void> {
    // Subscribe first and hold what arrives during the fold; the reducer drops
    // anything at or below the folded position, so nothing counts twice.
    this.subscription = this.store.events$.subscribe((event) => {
      if (this.pending) this.pending.push(event);
      else this.state = evolveDashboard(this.state, event);
    });
    const started = Date.now();
    // The checkpoints hold this very fold (events only) at positions of this log.
    const fold = new DashboardFold(await this.startingState());
    const from = fold.position;
    let folded = 0;
    for await (const event of this.store.read(from + 1)) {
      fold.add(event);
      folded += 1;
    }
    this.state = fold.state();
    for (const event of this.pending ?? []) this.state = evolveDashboard(this.state, event);
    this.pending = undefined;
    // The latest sample of every source rides along in the snapshot.
    this.metricsSubscription = this.metrics.samples$.subscribe((sample) => {
      this.state = evolveDashboard(this.state, { type: 'metrics', ...sample });
    });
    this.logger.log(`folded ${folded} events after position ${from} to position ${this.state.position} in ${Date.now() - started} ms`);
  }

  /** The latest usable replay checkpoint's state, else the empty state (a checkpoint is only a shortcut). */
  private async startingState(): Promise<DashboardState> {
    try {
      return (await usableCheckpoint(this.store, this.checkpoints))?.state ?? initialDashboardState();
    } catch (error) {
      this.logger.warn(`no checkpoint to start from (${error instanceof Error ? error.message : String(error)}): folding the whole log`);
      return initialDashboardState();
    }
  }

  get current(): DashboardState {
    return this.state;
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.metricsSubscription?.unsubscribe();
  }
}

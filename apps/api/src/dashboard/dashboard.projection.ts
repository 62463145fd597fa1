import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DashboardFold, evolveDashboard, initialDashboardState, type DashboardState } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { EventStore } from '../event-store/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { usableCheckpoint } from './checkpoint-builder';
import { CheckpointStore } from './checkpoint-store';
import { catchUpThenFollow } from '../projections/catch-up-then-follow';

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

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(CheckpointStore) private readonly checkpoints: CheckpointStore,
  ) {}

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    let from = 0;
    let folded = 0;
    // The reducer drops anything at or below the folded position: nothing counts twice.
    this.subscription = await catchUpThenFollow(
      this.store,
      async () => {
        // The checkpoints hold this very fold (events only) at positions of this log.
        const fold = new DashboardFold(await this.startingState());
        from = fold.position;
        for await (const event of this.store.read(from + 1)) {
          fold.add(event);
          folded += 1;
        }
        this.state = fold.state();
      },
      (event) => (this.state = evolveDashboard(this.state, event)),
    );
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

import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  evolveDashboard,
  initialDashboardState,
  type DashboardState,
  type StoredEvent,
} from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { EventStore } from '../event-store/event-store';
import { MetricsService } from '../metrics/metrics.service';

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
  ) {}

  async onModuleInit(): Promise<void> {
    // Subscribe first and hold what arrives during the fold; the reducer drops
    // anything at or below the folded position, so nothing counts twice.
    this.subscription = this.store.events$.subscribe((event) => {
      if (this.pending) this.pending.push(event);
      else this.state = evolveDashboard(this.state, event);
    });
    const started = Date.now();
    let folded = 0;
    for await (const event of this.store.read(1)) {
      this.state = evolveDashboard(this.state, event);
      folded += 1;
    }
    for (const event of this.pending ?? []) this.state = evolveDashboard(this.state, event);
    this.pending = undefined;
    // The latest sample of every source rides along in the snapshot.
    this.metricsSubscription = this.metrics.samples$.subscribe((sample) => {
      this.state = evolveDashboard(this.state, { type: 'metrics', ...sample });
    });
    this.logger.log(`folded ${folded} events to position ${this.state.position} in ${Date.now() - started} ms`);
  }

  get current(): DashboardState {
    return this.state;
  }


  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.metricsSubscription?.unsubscribe();
  }
}

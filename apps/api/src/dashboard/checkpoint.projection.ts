import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DashboardFold, StoredEvent } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { buildCheckpoints, foldForCheckpoints } from './checkpoint-builder';
import { CheckpointStore, type DashboardCheckpoint } from './checkpoint-store';

/**
 * Keeps the dashboard checkpoints up with the log. At start it catches up in the
 * background (a snapshot asked for meanwhile folds from the nearest checkpoint that
 * exists, so it is only slower, never wrong), holding live events until then; then
 * it folds each committed event and writes the checkpoints due in one transaction
 * per turn of the event loop.
 */
@Injectable()
export class CheckpointProjection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Checkpoints');
  private subscription?: Subscription;
  private fold?: DashboardFold;
  private held: StoredEvent[] = [];
  private due: DashboardCheckpoint[] = [];
  private flushScheduled = false;
  private stopped = false;
  private building?: Promise<void>;
  /** The last write of due checkpoints (awaited at shutdown). */
  private saving: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CheckpointStore) private readonly checkpoints: CheckpointStore,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  onModuleInit(): void {
    this.subscription = this.store.events$.subscribe((event) => {
      this.onEvent(event);
    });
    this.building = this.catchUp();
  }

  /** Resolves once the start-up catch-up is done (tests, the CLI). */
  get ready(): Promise<void> {
    return this.building ?? Promise.resolve();
  }

  private async catchUp(): Promise<void> {
    const started = Date.now();
    try {
      const build = await buildCheckpoints(this.store, this.checkpoints, { every: this.every, stopped: () => this.stopped });
      if (build.reset) this.logger.warn(`checkpoints dropped (${build.reset}) and rebuilt from the log`);
      this.fold = build.fold;
      for (const event of this.held) this.onEvent(event);
      this.held = [];
      this.logger.log(
        `folded ${build.folded} events after position ${build.from}, wrote ${build.written} checkpoints in ${Date.now() - started} ms`,
      );
    } catch (error) {
      if (!this.stopped) this.logger.error(`checkpoint catch-up failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private get every(): number {
    return this.config.replay.checkpointEvery;
  }

  private onEvent(event: StoredEvent): void {
    if (this.stopped) return;
    if (!this.fold) {
      this.held.push(event);
      return;
    }
    foldForCheckpoints(this.fold, event, this.every, this.due);
    if (this.due.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        void this.flush();
      });
    }
  }

  /** Writes the due checkpoints after the previous write (writes stay in order). */
  private flush(): Promise<void> {
    this.flushScheduled = false;
    const due = this.due;
    this.due = [];
    this.saving = this.saving.then(async () => {
      try {
        await this.checkpoints.save(due);
      } catch (error) {
        // A lost checkpoint only lengthens the fold of snapshots after it.
        this.logger.error(`writing ${due.length} checkpoint(s) failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.saving;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    await this.building;
    if (this.due.length > 0) void this.flush();
    await this.saving;
    await this.checkpoints.close();
  }
}

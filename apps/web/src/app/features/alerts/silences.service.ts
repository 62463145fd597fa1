import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal, untracked } from '@angular/core';
import type { SilenceView } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import type { DashboardSource } from '../../core/dashboard-source';
import { latestPositionOf } from '../../core/recent-events';

export const SILENCES_URL = '/api/silences';

/**
 * The matcher silences (GET /api/silences: every one the role may view, past ones
 * too, each with when it was made), so the alerts panel can mark the alerts they
 * cover at its own clock, live or in a replay. Loaded once per key (the position of
 * the newest `alert.silenced`). Without them the panel still shows each alert's own
 * silence: a failed load is not worth an error on the dashboard.
 */
@Injectable({ providedIn: 'root' })
export class SilencesService {
  private readonly http = inject(HttpClient);
  private readonly _silences = signal<readonly SilenceView[]>([]);
  private loadedFor: number | null = null;
  private request: Subscription | null = null;

  readonly silences = this._silences.asReadonly();

  /** Loads them again whenever `source` folds a new `alert.silenced` in. Call it from an effect. */
  follow(source: DashboardSource): void {
    const key = latestPositionOf(source.state().recentEvents, 'alert.silenced');
    untracked(() => {
      this.refresh(key);
    });
  }

  refresh(key: number): void {
    if (key === this.loadedFor) return;
    this.load(key);
  }

  /** Loads them now (after making one: the stream's event may come a moment later). */
  reload(): void {
    this.load(this.loadedFor ?? 0);
  }

  private load(key: number): void {
    this.loadedFor = key;
    this.request?.unsubscribe();
    this.request = this.http.get<{ silences: SilenceView[] }>(SILENCES_URL).subscribe({
      next: ({ silences }) => {
        this._silences.set(silences);
      },
      error: () => (this.loadedFor = null), // try again on the next silence
    });
  }
}

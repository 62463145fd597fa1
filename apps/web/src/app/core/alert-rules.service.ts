import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal, untracked } from '@angular/core';
import type { AlertRule, AlertRulesResponse } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { describeHttpError } from './http-error';
import type { DashboardSource } from './dashboard-source';
import { latestPositionOf } from './recent-events';

export const ALERT_RULES_URL = '/api/alert-rules';

/**
 * The alert rules (GET /api/alert-rules), which give the metric cards their
 * warning and critical levels. Loaded once per key: live, the position of the
 * newest `alert-rule.changed`; in a replay, that plus the replay's snapshot count,
 * asked `?at=` the replay clock, so a past moment is judged by the rules then.
 * Provided at root for live; the replay page provides its own.
 */
@Injectable({ providedIn: 'root' })
export class AlertRulesService {
  private readonly http = inject(HttpClient);
  private readonly _rules = signal<readonly AlertRule[]>([]);
  private readonly _error = signal<string | null>(null);
  private loadedFor: string | null = null;
  private request: Subscription | null = null;

  readonly rules = this._rules.asReadonly();
  readonly error = this._error.asReadonly();

  /**
   * Keeps the rules right for what `source` shows: live, the rules now, reloaded on a
   * rule change; in a replay, the rules at its clock after every snapshot and every
   * replayed rule change. Call it from an effect: it reads the source's signals.
   */
  follow(source: DashboardSource): void {
    const change = latestPositionOf(source.state().recentEvents, 'alert-rule.changed');
    if (source.mode === 'live') {
      untracked(() => {
        this.refresh(String(change));
      });
      return;
    }
    const snapshots = source.snapshots();
    // The clock is read untracked: the rules change with events, not with every tick.
    if (snapshots > 0)
      untracked(() => {
        this.refresh(`${snapshots}:${change}`, source.now());
      });
  }

  /** Loads the rules (as of `at`, epoch ms, if given) unless already loaded for this key. */
  refresh(key: string, at?: number): void {
    if (key === this.loadedFor) return;
    this.loadedFor = key;
    // Only the newest answer counts: an older request still in flight is dropped.
    this.request?.unsubscribe();
    const params = at === undefined ? undefined : { at: new Date(at).toISOString() };
    this.request = this.http.get<AlertRulesResponse>(ALERT_RULES_URL, { params }).subscribe({
      next: ({ rules }) => {
        this._rules.set(rules);
        this._error.set(null);
      },
      error: (error: unknown) => {
        this.loadedFor = null; // try again on the next change
        this._error.set(describeHttpError(error));
      },
    });
  }
}

import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import type { AlertRule, EventSummary } from '@vigil/shared';
import { describeHttpError } from './commands.service';

export const ALERT_RULES_URL = '/api/alert-rules';

/** Position of the newest `alert-rule.changed` among the recent events (0 when none). */
export function latestRuleChange(events: readonly EventSummary[]): number {
  return events.reduce((latest, event) => (event.type === 'alert-rule.changed' ? Math.max(latest, event.position) : latest), 0);
}

/**
 * The alert rules (GET /api/alert-rules), which give the metric cards their
 * warning and critical levels. Loaded once, and again whenever a newer
 * `alert-rule.changed` event shows up in the stream.
 */
@Injectable({ providedIn: 'root' })
export class AlertRulesService {
  private readonly http = inject(HttpClient);
  private readonly _rules = signal<readonly AlertRule[]>([]);
  private readonly _error = signal<string | null>(null);
  private loadedFor: number | null = null;

  readonly rules = this._rules.asReadonly();
  readonly error = this._error.asReadonly();

  /** Loads the rules unless they are already loaded as of this rule-change position. */
  refresh(ruleChangePosition: number): void {
    if (this.loadedFor !== null && ruleChangePosition <= this.loadedFor) return;
    this.loadedFor = ruleChangePosition;
    this.http.get<{ rules: AlertRule[] }>(ALERT_RULES_URL).subscribe({
      next: ({ rules }) => {
        this._rules.set(rules);
        this._error.set(null);
      },
      error: (error: unknown) => {
        this.loadedFor = null; // try again with the next change
        this._error.set(describeHttpError(error));
      },
    });
  }
}

import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AlertRule,
  AlertRuleHistoryResponse,
  AlertRulePreview,
  AlertRulesResponse,
  NotificationTargetSummary,
  NotificationTestResult,
} from '@vigil/shared';
import type { Observable } from 'rxjs';

/** The alert rules page's calls: the rules, their changes, the preview, the notification targets. */
@Injectable({ providedIn: 'root' })
export class AlertRulesApiService {
  private readonly http = inject(HttpClient);

  rules(): Observable<AlertRulesResponse> {
    return this.http.get<AlertRulesResponse>('/api/alert-rules');
  }

  changes(): Observable<AlertRuleHistoryResponse> {
    return this.http.get<AlertRuleHistoryResponse>('/api/alert-rules/changes');
  }

  create(rule: Record<string, unknown>): Observable<unknown> {
    return this.http.post('/api/alert-rules', rule);
  }

  update(name: string, rule: Record<string, unknown>): Observable<unknown> {
    return this.http.put(`/api/alert-rules/${encodeURIComponent(name)}`, rule);
  }

  remove(name: string): Observable<unknown> {
    return this.http.delete(`/api/alert-rules/${encodeURIComponent(name)}`);
  }

  preview(rule: AlertRule | Record<string, unknown>): Observable<AlertRulePreview> {
    return this.http.post<AlertRulePreview>('/api/alert-rules/preview', { rule });
  }

  targets(): Observable<NotificationTargetSummary[]> {
    return this.http.get<NotificationTargetSummary[]>('/api/notifications/targets');
  }

  testTarget(name: string): Observable<NotificationTestResult> {
    return this.http.post<NotificationTestResult>(`/api/notifications/targets/${encodeURIComponent(name)}/test`, {});
  }
}

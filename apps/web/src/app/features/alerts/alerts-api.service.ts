import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AlertView, SilenceMatchers, SilenceView } from '@vigil/shared';
import type { Observable } from 'rxjs';

/** The alert actions. Their effect comes back on the stream; the answers are only for errors. */
@Injectable({ providedIn: 'root' })
export class AlertsApiService {
  private readonly http = inject(HttpClient);

  acknowledge(alertId: string, comment: string): Observable<AlertView> {
    return this.http.post<AlertView>(`/api/alerts/${encodeURIComponent(alertId)}/ack`, { comment });
  }

  silence(alertId: string, until: string, reason: string): Observable<AlertView> {
    return this.http.post<AlertView>(`/api/alerts/${encodeURIComponent(alertId)}/silence`, { until, reason });
  }

  /** A silence for every alert matching `matchers` (POST /api/silences). */
  silenceMatching(matchers: SilenceMatchers, until: string, reason: string): Observable<SilenceView> {
    return this.http.post<SilenceView>('/api/silences', { matchers, until, reason });
  }
}

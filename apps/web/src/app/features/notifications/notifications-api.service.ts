import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { NotificationAttempt } from '@vigil/shared';
import type { Observable } from 'rxjs';

export interface NotificationFilter {
  kind?: string;
  target?: string;
  alertId?: string;
}

/** GET /api/notifications; nothing else. */
@Injectable({ providedIn: 'root' })
export class NotificationsApiService {
  private readonly http = inject(HttpClient);

  list(filter: NotificationFilter): Observable<{ attempts: NotificationAttempt[] }> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(filter) as [string, string | undefined][]) if (value) params = params.set(key, value);
    return this.http.get<{ attempts: NotificationAttempt[] }>('/api/notifications', { params });
  }
}

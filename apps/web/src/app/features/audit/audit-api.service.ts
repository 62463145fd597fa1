import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AuditPage } from '@vigil/shared';
import type { Observable } from 'rxjs';

/** GET /api/audit/verify: the event log's hash chain, re-computed. */
export interface ChainVerification {
  ok: boolean;
  checked: number;
  lastPosition: number;
  firstBadPosition?: number;
  reason?: string;
}

/** The audit trail API (capability audit.read). */
@Injectable({ providedIn: 'root' })
export class AuditApiService {
  private readonly http = inject(HttpClient);

  page(params: Record<string, string>): Observable<AuditPage> {
    return this.http.get<AuditPage>('/api/audit', { params });
  }

  verify(): Observable<ChainVerification> {
    return this.http.get<ChainVerification>('/api/audit/verify');
  }
}

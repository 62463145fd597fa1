import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CommandAccepted, PendingApproval } from '@vigil/shared';
import type { Observable } from 'rxjs';

/** GET /api/approvals, POST /api/commands/:id/approve|reject. */
@Injectable({ providedIn: 'root' })
export class ApprovalsApiService {
  private readonly http = inject(HttpClient);

  pending(): Observable<PendingApproval[]> {
    return this.http.get<PendingApproval[]>('/api/approvals');
  }

  decide(commandId: string, verb: 'approve' | 'reject', comment?: string): Observable<CommandAccepted> {
    return this.http.post<CommandAccepted>(`/api/commands/${encodeURIComponent(commandId)}/${verb}`, comment ? { comment } : {});
  }
}

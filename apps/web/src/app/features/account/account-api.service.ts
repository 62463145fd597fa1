import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AccountSessionsResponse } from '@vigil/shared';
import type { Observable } from 'rxjs';

/** /api/account: the signed-in user's own password and sessions. */
@Injectable({ providedIn: 'root' })
export class AccountApiService {
  private readonly http = inject(HttpClient);

  sessions(): Observable<AccountSessionsResponse> {
    return this.http.get<AccountSessionsResponse>('/api/account/sessions');
  }

  signOutEverywhere(): Observable<string> {
    return this.http.post('/api/account/sign-out-everywhere', null, { responseType: 'text' });
  }

  changePassword(currentPassword: string, newPassword: string): Observable<string> {
    return this.http.post('/api/account/password', { currentPassword, newPassword }, { responseType: 'text' });
  }
}

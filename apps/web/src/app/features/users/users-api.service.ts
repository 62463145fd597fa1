import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { RoleSummary, UserSummary } from '@vigil/shared';
import type { Observable } from 'rxjs';

export interface UserChange {
  role?: string;
  password?: string;
  disabled?: boolean;
}

/** /api/users: the users page's calls (users.manage). Each change is an event on the server. */
@Injectable({ providedIn: 'root' })
export class UsersApiService {
  private readonly http = inject(HttpClient);

  list(): Observable<UserSummary[]> {
    return this.http.get<UserSummary[]>('/api/users');
  }

  roles(): Observable<RoleSummary[]> {
    return this.http.get<RoleSummary[]>('/api/users/roles');
  }

  create(user: { username: string; role: string; password: string }): Observable<UserSummary> {
    return this.http.post<UserSummary>('/api/users', user);
  }

  update(id: string, change: UserChange): Observable<UserSummary> {
    return this.http.patch<UserSummary>(`/api/users/${encodeURIComponent(id)}`, change);
  }
}

import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { HostEnrolment, HostSummary } from '@vigil/shared';
import type { Observable } from 'rxjs';

export const HOSTS_URL = '/api/hosts';

/** The hosts API: list, enrol (the token comes back once), revoke. */
@Injectable({ providedIn: 'root' })
export class HostsApiService {
  private readonly http = inject(HttpClient);

  list(): Observable<HostSummary[]> {
    return this.http.get<HostSummary[]>(HOSTS_URL);
  }

  enrol(name: string, labels: Record<string, string>): Observable<HostEnrolment> {
    return this.http.post<HostEnrolment>(HOSTS_URL, { name, labels });
  }

  revoke(name: string): Observable<unknown> {
    return this.http.delete(`${HOSTS_URL}/${encodeURIComponent(name)}`);
  }
}

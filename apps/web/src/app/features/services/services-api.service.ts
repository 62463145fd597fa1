import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ServiceView } from '@vigil/shared';
import type { Observable } from 'rxjs';

export const SERVICES_URL = '/api/services';

/** The configured services with their live status (GET /api/services), for the page before the stream has them. */
@Injectable({ providedIn: 'root' })
export class ServicesApiService {
  private readonly http = inject(HttpClient);

  list(): Observable<ServiceView[]> {
    return this.http.get<ServiceView[]>(SERVICES_URL);
  }
}

import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AuthMethods } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';

export const AUTH_METHODS_URL = '/api/auth/methods';

/** GET /api/auth/methods: whether SSO is offered and whether passwords are for break-glass users only. */
@Injectable({ providedIn: 'root' })
export class AuthMethodsService {
  private readonly http = inject(HttpClient);

  /** Password sign-in only when the server cannot say (an older server, or unreachable). */
  load(): Promise<AuthMethods> {
    return firstValueFrom(this.http.get<AuthMethods>(AUTH_METHODS_URL)).catch((): AuthMethods => ({ password: 'all' }));
  }
}

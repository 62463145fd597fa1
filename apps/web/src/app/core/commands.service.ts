import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ApiErrorBody, CommandAccepted, CommandRequest } from '@vigil/shared';
import type { Observable } from 'rxjs';

/** The commands API. Results show up on the stream; this only submits. */
@Injectable({ providedIn: 'root' })
export class CommandsService {
  private readonly http = inject(HttpClient);

  submit(request: CommandRequest): Observable<CommandAccepted> {
    return this.http.post<CommandAccepted>('/api/commands', request, {
      headers: { 'Content-Type': 'application/json' },
    });
  }

  ping(environment = 'staging'): Observable<CommandAccepted> {
    return this.submit({ type: 'ping', target: 'vigil', environment, params: {} });
  }
}

/** A one-line, human-readable reason from an HttpClient error. */
export function describeHttpError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return 'The server could not be reached.';
    const body = error.error as Partial<ApiErrorBody> | string | null;
    const message = typeof body === 'string' ? body : body?.message;
    return `${error.status} ${error.statusText || 'error'}${message ? `: ${message}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

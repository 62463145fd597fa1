import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { CommandAccepted, CommandRequest } from '@vigil/shared';
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

import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ReplayMarkersResponse } from '@vigil/shared';
import { map, type Observable } from 'rxjs';
import { REPLAY_MARKERS_URL } from './replay-url';
import type { TimeWindow } from './time-window';

/** GET /api/replay/markers: alerts, commands and deploys of a window, for the scrubber. */
@Injectable({ providedIn: 'root' })
export class ReplayMarkersService {
  private readonly http = inject(HttpClient);

  /** The markers, and whether the window holds more than the server lists. */
  load(window: TimeWindow, environment?: string): Observable<Pick<ReplayMarkersResponse, 'markers' | 'truncated'>> {
    const params: Record<string, string> = { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() };
    if (environment !== undefined) params['environment'] = environment;
    return this.http
      .get<ReplayMarkersResponse>(REPLAY_MARKERS_URL, { params })
      .pipe(map(({ markers, truncated }) => ({ markers, truncated: truncated })));
  }
}

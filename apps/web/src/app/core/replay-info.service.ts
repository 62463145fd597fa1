import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { can, type ReplayInfo } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { SessionService } from './session.service';

export const REPLAY_INFO_URL = '/api/replay/info';

/**
 * What this server can replay, asked once per session (GET /api/replay/info). A normal
 * server answers `mode: 'live'`; `vigil review FILE` answers `review` with the bundle,
 * and then the app connects no live stream and shows only the replay.
 *
 * Asked after sign-in (a 401 before it would read as an expired session), and only by a
 * role with the `replay` capability (the API refuses the others, and a review server's
 * reviewer has it): without it, or when the question fails, the app stays live;
 * the answer, or its absence, holds until sign-out (`reset()`), so guards may ask freely.
 */
@Injectable({ providedIn: 'root' })
export class ReplayInfoService {
  private readonly http = inject(HttpClient);
  private readonly session = inject(SessionService);
  private readonly _info = signal<ReplayInfo | null>(null);
  private pending: Promise<ReplayInfo | null> | null = null;

  /** The server's answer, or null until it came (or when it failed). */
  readonly info = this._info.asReadonly();
  readonly mode = computed(() => this._info()?.mode ?? 'live');
  readonly review = computed(() => this.mode() === 'review');

  /** Resolves with the answer, fetching it the first time (concurrent callers share one request). */
  load(): Promise<ReplayInfo | null> {
    if (!can(this.session.user(), { kind: 'capability', capability: 'replay' })) return Promise.resolve(null);
    this.pending ??= firstValueFrom(this.http.get<ReplayInfo>(REPLAY_INFO_URL))
      .then((info) => {
        this._info.set(info);
        return info;
      })
      .catch(() => null);
    return this.pending;
  }

  /** Forgets the answer (sign-out: the next user may be allowed to ask, or be on another server). */
  reset(): void {
    this.pending = null;
    this._info.set(null);
  }
}
